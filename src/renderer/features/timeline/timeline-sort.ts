import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { parseClinicalTime, type ClinicalTime } from '../../lib/clinical-time.ts';

export interface TimedEntry {
  entry: TimelineEntry;
  time: ClinicalTime | undefined;
}

/** Newest clinical time first; entries without a clinical time last; ties by id for stability. */
export function sortEntries(entries: readonly TimelineEntry[]): TimedEntry[] {
  return entries
    .map((entry) => ({ entry, time: parseClinicalTime(entry.clinicalTime) }))
    .sort((a, b) => {
      if (a.time && b.time) {
        if (a.time.ms !== b.time.ms) return b.time.ms - a.time.ms;
      } else if (a.time) {
        return -1;
      } else if (b.time) {
        return 1;
      }
      return a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0;
    });
}
