/**
 * The order behind an imaging study — why it was asked for, what the ordering doctor wrote, who
 * asked and when — from every place the record carries it, linked to the study without any
 * report in between: a radiologist reads most studies before their report exists.
 *
 * Where an order comes from, in the order a reader trusts it:
 * - a ServiceRequest (a RIS/HIS FHIR order, or an HL7 v2 ORM^O01/OMI^O23 the adapter converted)
 *   that the study names in basedOn, that the study's report names in its basedOn (the report
 *   link reads the order's reason from there too, so both links find the same order), or that
 *   carries the study's accession number or Study Instance UID;
 * - the study's own order attributes (the PACS's copy of the DICOM Reason for Study, Reason for
 *   the Requested Procedure, Admitting Diagnoses, Referring Physician), only when no order links:
 *   a modality copies them from the worklist, so they repeat the order when one exists.
 * Pure and shared, over the entries the renderer already has (access decided, masking done in main).
 */
import { reportsForStudy, studyKeysOf } from './imaging-report-link.ts';
import { codedText, isAccession, isDicomUid, str, uidOf, type Coded, type IdentifierLike, type ReferenceLike } from './resource-shapes.ts';
import type { TimelineEntry } from './timeline.ts';

/**
 * How an order was linked to the study. `report-based-on`: a report of the study names the order;
 * `study-attributes`: the study itself carries the order's words.
 */
export type OrderMatch = 'based-on' | 'report-based-on' | 'accession' | 'study-uid' | 'study-attributes';

export interface LinkedOrder {
  /** The entry the words came from: the ServiceRequest, or the ImagingStudy for its attributes. */
  entryId: string;
  matchedBy: OrderMatch[];
  /** Reasons for the study: coded reasons, referenced conditions' names, DICOM Reason for Study. */
  indication: string[];
  /** What else the ordering doctor wrote: notes, relevant clinical information, admitting diagnoses. */
  clinicalInfo: string[];
  /** What was ordered, e.g. 头颅MR平扫. */
  procedure?: string;
  /** The ordering (referring) doctor, as the source names them. */
  requester?: string;
  /** ISO 8601: when the order was written. */
  orderedAt?: string;
  /** Which systems said it: every provenance of the entry (one order merged from two systems names both). */
  sources: { sourceId: string; sourceName: string; sourceKind: string; nativeId: string; messageType?: string }[];
}

interface OrderLike {
  resourceType?: unknown;
  id?: unknown;
  identifier?: IdentifierLike[];
  basedOn?: ReferenceLike[];
  code?: Coded;
  procedureCode?: Coded[];
  reasonCode?: Coded[];
  reasonReference?: ReferenceLike[];
  note?: { text?: unknown }[];
  requester?: ReferenceLike;
  referrer?: ReferenceLike;
  authoredOn?: unknown;
  description?: unknown;
}

const defined = <T>(v: T | undefined): v is T => v !== undefined;
const unique = (texts: readonly (string | undefined)[]): string[] => [...new Set(texts.filter(defined))];
const refKey = (r: { resourceType?: unknown; id?: unknown }): string | undefined =>
  typeof r.resourceType === 'string' && typeof r.id === 'string' ? `${r.resourceType}/${r.id}` : undefined;

/** The name a reasonReference points to (a Condition's or Observation's code) when it carries no display. */
function referencedText(ref: ReferenceLike, byRef: ReadonlyMap<string, TimelineEntry>): string | undefined {
  const display = str(ref.display);
  if (display) return display;
  const target = str(ref.reference);
  const found = target ? byRef.get(target) : undefined;
  return found ? (codedText((found.resource as { code?: Coded }).code) ?? str(found.title)) : undefined;
}

function sourcesOf(entry: TimelineEntry): LinkedOrder['sources'] {
  return entry.provenance.map((p) => ({
    sourceId: p.sourceId,
    sourceName: p.sourceName,
    sourceKind: p.sourceKind,
    nativeId: p.nativeId,
    ...(p.messageType ? { messageType: p.messageType } : {}),
  }));
}

function orderWords(entry: TimelineEntry, matchedBy: OrderMatch[], byRef: ReadonlyMap<string, TimelineEntry>): LinkedOrder | undefined {
  const r = entry.resource as OrderLike;
  const isStudy = r.resourceType === 'ImagingStudy';
  const indication = unique([...(r.reasonCode ?? []).map(codedText), ...(r.reasonReference ?? []).map((x) => referencedText(x, byRef))]);
  const clinicalInfo = unique((r.note ?? []).map((n) => str(n.text)));
  const procedure = isStudy ? (r.procedureCode ?? []).map(codedText).find(defined) : codedText(r.code);
  const requester = str((isStudy ? r.referrer : r.requester)?.display);
  const orderedAt = isStudy ? undefined : str(r.authoredOn);
  // A study with no order words is a study, not an order: its description alone says nothing of why.
  if (isStudy && indication.length === 0 && clinicalInfo.length === 0 && !requester) return undefined;
  return {
    entryId: entry.id,
    matchedBy,
    indication,
    clinicalInfo,
    ...(procedure ? { procedure } : {}),
    ...(requester ? { requester } : {}),
    ...(orderedAt ? { orderedAt } : {}),
    sources: sourcesOf(entry),
  };
}

/** How (if at all) an order names the study; an accession alone does not count when the order's UID names another study. */
function orderMatch(order: OrderLike, studyUid: string, accessions: ReadonlySet<string>, basedOn: BasedOn): OrderMatch[] {
  const matchedBy: OrderMatch[] = [];
  const key = refKey(order);
  if (key && basedOn.study.has(key)) matchedBy.push('based-on');
  if (key && basedOn.reports.has(key)) matchedBy.push('report-based-on');
  const ids = order.identifier ?? [];
  const uids = new Set(ids.filter(isDicomUid).map((i) => uidOf(i.value)));
  if (ids.some((i) => isAccession(i) && accessions.has(str(i.value) ?? '')) && (uids.size === 0 || uids.has(studyUid)))
    matchedBy.push('accession');
  if (uids.has(studyUid)) matchedBy.push('study-uid');
  return matchedBy;
}

/** The orders the study names (its basedOn) and those its reports name (theirs), as `ResourceType/id`. */
interface BasedOn {
  study: ReadonlySet<string>;
  reports: ReadonlySet<string>;
}

/** What linking reads of a record, built once for all its studies: each entry by reference, the orders, the reports. */
interface RecordIndex {
  byRef: ReadonlyMap<string, TimelineEntry>;
  requests: readonly TimelineEntry[];
  /** Only the reports that name an order: the rest cannot lead to one. */
  reportsWithOrders: readonly TimelineEntry[];
}

const REPORT_TYPES = new Set(['DiagnosticReport', 'DocumentReference', 'Composition']);
const basedOnRefs = (entry: TimelineEntry): string[] =>
  ((entry.resource as OrderLike).basedOn ?? []).map((b) => str(b.reference)).filter(defined);

function indexOf(entries: readonly TimelineEntry[]): RecordIndex {
  const byRef = new Map<string, TimelineEntry>();
  const requests: TimelineEntry[] = [];
  const reportsWithOrders: TimelineEntry[] = [];
  for (const e of entries) {
    const resource = e.resource as OrderLike;
    const key = refKey(resource);
    if (key) byRef.set(key, e);
    if (resource.resourceType === 'ServiceRequest') requests.push(e);
    else if (typeof resource.resourceType === 'string' && REPORT_TYPES.has(resource.resourceType) && basedOnRefs(e).length > 0)
      reportsWithOrders.push(e);
  }
  return { byRef, requests, reportsWithOrders };
}

/** The orders the study's reports name: the reports are found by the report link's own rules, so the two agree. */
function reportsBasedOn(studyUid: string, accessions: ReadonlySet<string>, index: RecordIndex): Set<string> {
  if (index.reportsWithOrders.length === 0) return new Set();
  const linked = new Set(reportsForStudy({ studyUid, accessions: [...accessions] }, index.reportsWithOrders).map((r) => r.entryId));
  return new Set(index.reportsWithOrders.filter((e) => linked.has(e.id)).flatMap(basedOnRefs));
}

/**
 * The orders behind one study, newest first. `copies` are the study's imaging entries (one study
 * from several sources: each copy's accession numbers and basedOn count).
 */
export function ordersForStudy(
  studyUid: string,
  copies: readonly TimelineEntry[],
  entries: readonly TimelineEntry[],
  index: RecordIndex = indexOf(entries),
): LinkedOrder[] {
  const accessions = new Set(copies.flatMap((c) => studyKeysOf(c)?.accessions ?? []));
  const basedOn: BasedOn = { study: new Set(copies.flatMap(basedOnRefs)), reports: reportsBasedOn(studyUid, accessions, index) };
  const orders: LinkedOrder[] = [];
  for (const entry of index.requests) {
    const matchedBy = orderMatch(entry.resource as OrderLike, studyUid, accessions, basedOn);
    const order = matchedBy.length > 0 ? orderWords(entry, matchedBy, index.byRef) : undefined;
    if (order) orders.push(order);
  }
  if (orders.length === 0) {
    for (const copy of copies) {
      const order = orderWords(copy, ['study-attributes'], index.byRef);
      if (order) orders.push(order);
    }
  }
  return orders.sort((a, b) => (b.orderedAt ?? '').localeCompare(a.orderedAt ?? ''));
}

/** Every study's orders in a record, keyed by Study Instance UID. */
export function studyOrders(entries: readonly TimelineEntry[]): ReadonlyMap<string, LinkedOrder[]> {
  const copies = new Map<string, TimelineEntry[]>();
  for (const entry of entries) {
    if (entry.kind !== 'imaging') continue;
    const keys = studyKeysOf(entry);
    if (!keys) continue;
    copies.set(keys.studyUid, [...(copies.get(keys.studyUid) ?? []), entry]);
  }
  const index = indexOf(entries);
  const byStudy = new Map<string, LinkedOrder[]>();
  for (const [uid, list] of copies) byStudy.set(uid, ordersForStudy(uid, list, entries, index));
  return byStudy;
}
