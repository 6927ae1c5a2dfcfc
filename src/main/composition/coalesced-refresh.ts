/**
 * Refreshes of open patients after pushed messages, coalesced per patient. A refresh reads the
 * patient's records from the cache and rebuilds the whole timeline, so one per message would
 * queue up behind a burst (a group commit stores dozens at once) and the open patient would lag
 * further behind the more arrives. While one refresh of a patient runs, every request for the
 * same patient folds into one more run after it: the latest commit is always shown, once.
 */
import type { SourcePatientRef } from '../../shared/domain/source.ts';

export function coalesceRefreshes(
  refresh: (ref: SourcePatientRef) => Promise<void>,
  onError: (error: unknown) => void,
): (ref: SourcePatientRef) => void {
  const running = new Map<string, { again: boolean }>();
  return (ref) => {
    const key = `${ref.sourceId}\u0000${ref.sourcePatientId}`;
    const current = running.get(key);
    if (current) {
      current.again = true;
      return;
    }
    const entry = { again: false };
    running.set(key, entry);
    void (async () => {
      do {
        entry.again = false;
        try {
          await refresh(ref);
        } catch (error) {
          onError(error);
        }
      } while (entry.again);
      running.delete(key);
    })();
  };
}
