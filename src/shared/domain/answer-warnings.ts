/**
 * Answer warnings summed over the parts of one call (a search asks once per reading of the query,
 * a record fetch asks for demographics, the document list and each document): one row per code
 * and platform detail code, so twenty skipped patients read as one warning counted twenty times.
 */
import type { AnswerWarning } from './source.ts';

/** Rows with a platform detail kept per status; past them a warning is counted in its code's row without one. */
export const MAX_DETAILED_ROWS = 16;

const keyOf = (w: AnswerWarning): string => `${w.code}\u0000${w.detailCode ?? ''}`;

export function sumAnswerWarnings(...lists: readonly (readonly AnswerWarning[] | undefined)[]): AnswerWarning[] {
  const rows = new Map<string, AnswerWarning>();
  for (const list of lists) {
    for (const w of list ?? []) {
      const key = keyOf(w);
      const row = rows.get(key);
      if (row) row.count += w.count;
      else if (rows.size < MAX_DETAILED_ROWS) rows.set(key, { ...w });
      else {
        // Counted, not lost: a platform that sends a new detail code per record still fits the status.
        const plainKey = `${w.code}\u0000`;
        const plain = rows.get(plainKey);
        if (plain) plain.count += w.count;
        else rows.set(plainKey, { code: w.code, count: w.count });
      }
    }
  }
  return [...rows.values()];
}

/** How many warnings, all kinds together. */
export function answerWarningTotal(warnings: readonly AnswerWarning[] | undefined): number {
  return (warnings ?? []).reduce((n, w) => n + w.count, 0);
}
