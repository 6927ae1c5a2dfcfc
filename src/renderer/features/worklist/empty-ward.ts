import type { WorklistResponse } from '../../../shared/api/worklist.ts';

export type EmptyWardState =
  { state: 'unread'; sourceIds: string[] } | { state: 'as-of'; at: string } | { state: 'updating' } | { state: 'empty' };

/**
 * What an empty list means: "no inpatients" only when a census source answered with none (or no
 * census source was asked and the live read is over); with every asked census source failed it is
 * the census kept from the last answer (as of then) or, when none ever answered, unread.
 */
export function emptyWardState(list: WorklistResponse, updating: boolean): EmptyWardState {
  const failures = list.censusFailures ?? [];
  const answered = (list.censusAnsweredBy ?? []).length > 0;
  if (failures.length > 0 && !answered) {
    const lastRead = failures
      .flatMap((f) => (f.lastAnsweredAt ? [f.lastAnsweredAt] : []))
      .sort()
      .at(-1);
    return lastRead ? { state: 'as-of', at: lastRead } : { state: 'unread', sourceIds: failures.map((f) => f.sourceId) };
  }
  return updating ? { state: 'updating' } : { state: 'empty' };
}
