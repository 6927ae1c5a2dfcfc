import type { TimelineEntry, TimelineKind } from '../../../shared/domain/timeline.ts';
import { bucketKey, parseClinicalTime, type ClinicalTime } from '../../lib/clinical-time.ts';

/** Every kind in display order (the order of the filter chips). */
export const TIMELINE_KINDS: readonly TimelineKind[] = [
  'encounter',
  'condition',
  'observation',
  'report',
  'imaging',
  'medication',
  'procedure',
  'allergy',
  'immunization',
  'document',
  'other',
];

export const UNDATED_KEY = 'undated';

export interface TimedEntry {
  entry: TimelineEntry;
  time: ClinicalTime | undefined;
}

export type TimelineRow =
  | { type: 'day'; key: string; time: ClinicalTime | undefined; count: number }
  | { type: 'entry'; key: string; entry: TimelineEntry; time: ClinicalTime | undefined };

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

export interface TimelineFilter {
  /** Empty = all kinds. */
  kinds: ReadonlySet<TimelineKind>;
  text: string;
}

function haystack(entry: TimelineEntry): string {
  const parts = [entry.title, entry.summary ?? '', entry.status ?? ''];
  for (const c of entry.codes) parts.push(c.code ?? '', c.display ?? '');
  for (const p of entry.provenance) parts.push(p.sourceName, p.messageType ?? '');
  return parts.join('\u0000').toLocaleLowerCase();
}

export function filterEntries<T extends { entry: TimelineEntry }>(items: readonly T[], filter: TimelineFilter): T[] {
  const needles = filter.text.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
  return items.filter(({ entry }) => {
    if (filter.kinds.size > 0 && !filter.kinds.has(entry.kind)) return false;
    if (needles.length === 0) return true;
    const hay = haystack(entry);
    return needles.every((n) => hay.includes(n));
  });
}

/** Flattens sorted entries into day headings and entry rows (day = local calendar day). */
export function buildRows(sorted: readonly TimedEntry[]): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let heading: Extract<TimelineRow, { type: 'day' }> | undefined;
  for (const { entry, time } of sorted) {
    const key = time ? bucketKey(time) : UNDATED_KEY;
    if (!heading || heading.key !== key) {
      heading = { type: 'day', key, time, count: 0 };
      rows.push(heading);
    }
    heading.count += 1;
    rows.push({ type: 'entry', key: entry.id, entry, time });
  }
  return rows;
}

export function kindCounts(entries: readonly TimelineEntry[]): Map<TimelineKind, number> {
  const counts = new Map<TimelineKind, number>();
  for (const e of entries) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  return counts;
}

export type AbnormalFlag = 'H' | 'L' | 'A';

const HIGH = new Set(['H', 'HH', 'HU', '>']);
const LOW = new Set(['L', 'LL', 'LU', '<']);

/**
 * The textual flag shown next to an abnormal result: H or L from an Observation's
 * interpretation when it says so, otherwise A for any entry marked abnormal.
 */
export function abnormalFlag(entry: TimelineEntry): AbnormalFlag | undefined {
  const interpretation = (entry.resource as { interpretation?: unknown }).interpretation;
  if (Array.isArray(interpretation)) {
    for (const concept of interpretation as { coding?: { code?: unknown }[] }[]) {
      for (const coding of concept.coding ?? []) {
        const code = typeof coding.code === 'string' ? coding.code.toUpperCase() : '';
        if (HIGH.has(code)) return 'H';
        if (LOW.has(code)) return 'L';
      }
    }
  }
  return entry.abnormal ? 'A' : undefined;
}

/** Fixed row heights (px) so long timelines can be windowed; keep in step with timeline.css. */
export const DAY_ROW_HEIGHT = 26;
export const ENTRY_ROW_HEIGHT = 50;
/** Below this many rows everything is in the DOM; above it only what is near the viewport. */
export const VIRTUALIZE_ABOVE = 300;

export function rowHeight(row: TimelineRow): number {
  return row.type === 'day' ? DAY_ROW_HEIGHT : ENTRY_ROW_HEIGHT;
}

/** offsets[i] = top of row i; offsets[rows.length] = total height. */
export function rowOffsets(rows: readonly TimelineRow[]): number[] {
  const offsets = new Array<number>(rows.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < rows.length; i++) offsets[i + 1] = offsets[i]! + rowHeight(rows[i]!);
  return offsets;
}

/** The rows [start, end) that intersect [top - overscan, top + height + overscan]. */
export function visibleRange(offsets: readonly number[], top: number, height: number, overscan = 400): [number, number] {
  const count = offsets.length - 1;
  const lo = Math.max(0, top - overscan);
  const hi = top + height + overscan;
  let a = 0;
  let b = count;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (offsets[mid + 1]! <= lo) a = mid + 1;
    else b = mid;
  }
  let end = a;
  while (end < count && offsets[end]! < hi) end++;
  return [a, end];
}
