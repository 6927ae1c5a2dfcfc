import type { TimelineEntry, TimelineKind } from '../../../shared/domain/timeline.ts';
import type { ClinicalTime } from '../../lib/clinical-time.ts';
import { abnormalFlag } from './entry-flags.ts';

export interface TimelineFilter {
  /** Empty = all kinds. */
  kinds: ReadonlySet<TimelineKind>;
  text: string;
  /** Source ids; an entry matches when any of its provenance is from one of them. Empty = all. */
  sources?: ReadonlySet<string>;
  /** Inclusive local calendar dates, "YYYY-MM-DD" (what <input type=date> gives). */
  from?: string;
  to?: string;
  abnormalOnly?: boolean;
}

const haystacks = new WeakMap<TimelineEntry, string>();

/** Everything the text filter searches, built once per entry object (entries are immutable). */
function haystack(entry: TimelineEntry): string {
  let hay = haystacks.get(entry);
  if (hay === undefined) {
    const parts = [entry.title, entry.summary ?? '', entry.status ?? '', entry.lab?.loinc ?? '', entry.lab?.analyte ?? ''];
    for (const c of entry.codes) parts.push(c.code ?? '', c.display ?? '');
    for (const p of entry.provenance) parts.push(p.sourceName, p.messageType ?? '');
    hay = parts.join('\u0000').toLocaleLowerCase();
    haystacks.set(entry, hay);
  }
  return hay;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar span a (possibly partial) clinical time covers, as comparable day strings. */
function daySpan(time: ClinicalTime): [string, string] {
  const y = String(time.year).padStart(4, '0');
  if (time.precision === 'year') return [`${y}-01-01`, `${y}-12-31`];
  if (time.precision === 'month') return [`${y}-${pad(time.month)}-01`, `${y}-${pad(time.month)}-31`];
  const d = `${y}-${pad(time.month)}-${pad(time.day)}`;
  return [d, d];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** True when the entry's time overlaps [from, to]; undated entries never match a date range. */
export function inDateRange(time: ClinicalTime | undefined, from: string | undefined, to: string | undefined): boolean {
  const lo = from && DAY.test(from) ? from : undefined;
  const hi = to && DAY.test(to) ? to : undefined;
  if (!lo && !hi) return true;
  if (!time) return false;
  const [start, end] = daySpan(time);
  return (!lo || end >= lo) && (!hi || start <= hi);
}

export function isAbnormal(entry: TimelineEntry): boolean {
  return entry.abnormal === true || abnormalFlag(entry) !== undefined;
}

export function filterEntries<T extends { entry: TimelineEntry; time?: ClinicalTime | undefined }>(
  items: readonly T[],
  filter: TimelineFilter,
): T[] {
  const needles = filter.text.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const sources = filter.sources && filter.sources.size > 0 ? filter.sources : undefined;
  const dated = Boolean(filter.from || filter.to);
  return items.filter(({ entry, time }) => {
    if (filter.kinds.size > 0 && !filter.kinds.has(entry.kind)) return false;
    if (sources && !entry.provenance.some((p) => sources.has(p.sourceId))) return false;
    if (filter.abnormalOnly && !isAbnormal(entry)) return false;
    if (dated && !inDateRange(time, filter.from, filter.to)) return false;
    if (needles.length === 0) return true;
    const hay = haystack(entry);
    return needles.every((n) => hay.includes(n));
  });
}

export function kindCounts(entries: readonly TimelineEntry[]): Map<TimelineKind, number> {
  const counts = new Map<TimelineKind, number>();
  for (const e of entries) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  return counts;
}

export interface SourceOption {
  sourceId: string;
  name: string;
  count: number;
}

/** The systems the entries came from (merged entries count for each), in first-seen order. */
export function sourceOptions(entries: readonly TimelineEntry[]): SourceOption[] {
  const byId = new Map<string, SourceOption>();
  for (const e of entries) {
    const seen = new Set<string>();
    for (const p of e.provenance) {
      if (seen.has(p.sourceId)) continue;
      seen.add(p.sourceId);
      const option = byId.get(p.sourceId);
      if (option) option.count += 1;
      else byId.set(p.sourceId, { sourceId: p.sourceId, name: p.sourceName, count: 1 });
    }
  }
  return [...byId.values()];
}
