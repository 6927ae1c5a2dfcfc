import type { TimelineEntry, TimelineKind } from '../../../shared/domain/timeline.ts';
import { timeKey } from './clinical-time.ts';

export interface TimelineQuery {
  kinds?: readonly TimelineKind[];
  sourceIds?: readonly string[];
  /** Inclusive ISO dates or instants. */
  from?: string;
  to?: string;
  abnormalOnly?: boolean;
  /** Case-insensitive text over title, summary, codes and source names. */
  text?: string;
}

function searchableText(entry: TimelineEntry): string {
  return [entry.title, entry.summary, ...entry.codes.flatMap((c) => [c.code, c.display]), ...entry.provenance.map((p) => p.sourceName)]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

/** Filters an ordered timeline; the order is kept. */
export function queryTimeline(entries: readonly TimelineEntry[], query: TimelineQuery): TimelineEntry[] {
  const kinds = query.kinds?.length ? new Set(query.kinds) : undefined;
  const sources = query.sourceIds?.length ? new Set(query.sourceIds) : undefined;
  const from = query.from ? timeKey(query.from) : undefined;
  // A date-only upper bound means "through the end of that day".
  const to = query.to ? timeKey(query.to) + (/^\d{4}-\d{2}-\d{2}$/.test(query.to) ? 86_399_999 : 0) : undefined;
  const text = query.text?.trim().toLowerCase();
  return entries.filter((e) => {
    if (kinds && !kinds.has(e.kind)) return false;
    if (sources && !e.provenance.some((p) => sources.has(p.sourceId))) return false;
    if (query.abnormalOnly && !e.abnormal) return false;
    const t = timeKey(e.clinicalTime);
    if (from !== undefined && t < from) return false;
    if (to !== undefined && t > to) return false;
    if (text && !searchableText(e).includes(text)) return false;
    return true;
  });
}
