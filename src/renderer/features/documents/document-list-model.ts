/**
 * The patient's documents as the reader lists them: newest first, with the header facts a
 * clinician checks before reading (type, date, author, custodian, which system, fetched when).
 */
import type { Provenance } from '../../../shared/domain/provenance.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { parseClinicalTime } from '../../lib/clinical-time.ts';

export interface DocumentItem {
  id: string;
  title: string;
  /** The document type (e.g. 出院小结), when it differs from the title or the title is generic. */
  type?: string;
  /** Clinical date of the document: DocumentReference.date, else the entry's clinical time. */
  date?: string;
  authors: string[];
  custodian?: string;
  provenance: readonly Provenance[];
  /** Latest fetch over the entry's sources. */
  fetchedAt?: string;
  entry: TimelineEntry;
}

interface ConceptLike {
  text?: unknown;
  coding?: unknown;
}

function conceptText(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const c = value as ConceptLike;
  if (typeof c.text === 'string' && c.text) return c.text;
  if (Array.isArray(c.coding)) {
    for (const coding of c.coding) {
      const display = (coding as { display?: unknown } | null)?.display;
      if (typeof display === 'string' && display) return display;
    }
  }
  return undefined;
}

function displays(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((r) => (r as { display?: unknown } | null)?.display).filter((d): d is string => typeof d === 'string' && d.length > 0);
}

export function documentItem(entry: TimelineEntry): DocumentItem {
  const r = entry.resource as Record<string, unknown>;
  const type = conceptText(r.type);
  const date = typeof r.date === 'string' ? r.date : entry.clinicalTime;
  const custodian = displays([r.custodian])[0];
  const fetchedAt = entry.provenance.map((p) => p.fetchedAt).sort().at(-1);
  return {
    id: entry.id,
    title: entry.title,
    ...(type && type !== entry.title ? { type } : {}),
    ...(date ? { date } : {}),
    authors: displays(r.author),
    ...(custodian ? { custodian } : {}),
    provenance: entry.provenance,
    ...(fetchedAt ? { fetchedAt } : {}),
    entry,
  };
}

function sortTime(item: DocumentItem): number {
  return parseClinicalTime(item.date)?.ms ?? Number.NEGATIVE_INFINITY;
}

/** Document entries, newest first; undated ones last, ties by title so the order is stable. */
export function documentItems(entries: readonly TimelineEntry[]): DocumentItem[] {
  return entries
    .filter((e) => e.kind === 'document')
    .map(documentItem)
    .sort((a, b) => sortTime(b) - sortTime(a) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}
