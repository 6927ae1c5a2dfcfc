import { sumAnswerWarnings } from '../../../shared/domain/answer-warnings.ts';
import type { AnswerWarning } from '../../../shared/domain/source.ts';

export interface WarningCollector<T> {
  /** The read to hand to callSource: each attempt starts its own tally, so a retry never counts twice. */
  read: (signal: AbortSignal) => Promise<T>;
  /** The warnings of the last attempt, summed. */
  warnings(): AnswerWarning[];
}

/** Gathers what an adapter says about a partial answer during one read of one source. */
export function collectWarnings<T>(
  read: (signal: AbortSignal, onWarnings: (warnings: readonly AnswerWarning[]) => void) => Promise<T>,
): WarningCollector<T> {
  let current: AnswerWarning[] = [];
  return {
    read(signal) {
      const tally: AnswerWarning[] = [];
      current = tally;
      return read(signal, (more) => {
        tally.splice(0, tally.length, ...sumAnswerWarnings(tally, more));
      });
    },
    warnings: () => current,
  };
}
