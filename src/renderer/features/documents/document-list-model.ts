/**
 * The patient's documents as the reader lists them: newest first, with the header facts a
 * clinician checks before reading (type, date, author, custodian, which system, fetched when).
 */
import type { CodeableConcept, DocumentReference, Reference } from '@medplum/fhirtypes';
import type { Provenance } from '../../../shared/domain/provenance.ts';
import { resultAttachments } from '../../../shared/domain/result-attachment.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { parseClinicalTime } from '../../lib/clinical-time.ts';

export interface DocumentItem {
  id: string;
  title: string;
  /** The document type (e.g. 出院小结 C0053, or a LOINC document type). */
  type?: string;
  /** Clinical date of the document: DocumentReference.date, else the entry's clinical time. */
  date?: string;
  authors: string[];
  custodian?: string;
  provenance: readonly Provenance[];
  /** Latest fetch over the entry's sources. */
  fetchedAt?: string;
  /** When this document is a result's own attachment (an HL7 v2 ED PDF/image/HTML): the result(s) it belongs to. */
  resultOf?: { entryId: string; title: string; time?: string }[];
  entry: TimelineEntry;
}

function conceptText(concept: CodeableConcept | undefined): string | undefined {
  return concept?.text || concept?.coding?.find((c) => c.display)?.display;
}

function displays(refs: readonly (Reference | undefined)[] | undefined): string[] {
  return (refs ?? []).map((r) => r?.display).filter((d): d is string => !!d);
}

export function documentItem(entry: TimelineEntry, results: readonly TimelineEntry[] = []): DocumentItem {
  // Other resource kinds filed as documents (a Composition, a note) get the entry's own facts.
  const r: DocumentReference | undefined = entry.resource.resourceType === 'DocumentReference' ? entry.resource : undefined;
  const type = conceptText(r?.type);
  const date = r?.date ?? entry.clinicalTime;
  const custodian = displays([r?.custodian])[0];
  const fetchedAt = entry.provenance
    .map((p) => p.fetchedAt)
    .sort()
    .at(-1);
  return {
    id: entry.id,
    title: entry.title,
    ...(type ? { type } : {}),
    ...(date ? { date } : {}),
    authors: displays(r?.author),
    ...(custodian ? { custodian } : {}),
    provenance: entry.provenance,
    ...(fetchedAt ? { fetchedAt } : {}),
    ...(results.length > 0
      ? { resultOf: results.map((r) => ({ entryId: r.id, title: r.title, ...(r.clinicalTime ? { time: r.clinicalTime } : {}) })) }
      : {}),
    entry,
  };
}

function sortTime(item: DocumentItem): number {
  return parseClinicalTime(item.date)?.ms ?? Number.NEGATIVE_INFINITY;
}

/** Document entries, newest first; undated ones last, ties by title so the order is stable. */
export function documentItems(entries: readonly TimelineEntry[]): DocumentItem[] {
  const attachments = resultAttachments(entries);
  return entries
    .filter((e) => e.kind === 'document')
    .map((e) => documentItem(e, attachments.get(e.id)))
    .sort((a, b) => sortTime(b) - sortTime(a) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}
