/**
 * Which reports in a record belong to an imaging study: a radiology DiagnosticReport (or a
 * document such as a CDA 检查报告) names its study by accession number, by Study Instance UID,
 * or both; the order behind it (ServiceRequest) carries the clinical indication. Pure and
 * shared: the viewer and the timeline both ask it, over the entries the renderer already has.
 */
import { REPORT_SECTION_EXTENSION, reportSectionOfCode, type ReportSection } from './report-sections.ts';
import { codedText, isAccession, isDicomUid, str, uidOf, type Coded, type IdentifierLike, type ReferenceLike } from './resource-shapes.ts';
import type { TimelineEntry } from './timeline.ts';

/** How a report was matched to the study; both when both agree. */
export type ReportMatch = 'accession' | 'study-uid';

export interface StudyKeys {
  studyUid: string;
  accessions: string[];
}

export interface LinkedReport {
  entryId: string;
  matchedBy: ReportMatch[];
  title: string;
  /** A document (a CDA 检查报告 as DocumentReference): it can also be read in the documents view. */
  document?: true;
  status?: string;
  findings?: string;
  impression?: string;
  author?: string;
  /** ISO 8601: issued, else the clinical time. */
  time?: string;
  /** Where the report came from (first provenance). */
  sourceName?: string;
  sourceKind?: string;
  nativeId?: string;
  /**
   * Why the study was ordered: the order's reason (ServiceRequest.reasonCode / reasonReference)
   * and what the report document itself gives (a CDA's reason-for-study, 主诉, clinical diagnosis).
   */
  indication?: string[];
}

interface AttachmentLike {
  contentType?: unknown;
  data?: unknown;
}
interface ResourceLike {
  resourceType?: unknown;
  id?: unknown;
  identifier?: IdentifierLike[];
  imagingStudy?: ReferenceLike[];
  basedOn?: ReferenceLike[];
  context?: { related?: ReferenceLike[] };
  conclusion?: unknown;
  conclusionCode?: Coded[];
  presentedForm?: { contentType?: unknown; data?: unknown }[];
  content?: { attachment?: AttachmentLike; extension?: { url?: unknown; valueCoding?: { system?: unknown; code?: unknown } }[] }[];
  resultsInterpreter?: ReferenceLike[];
  performer?: ReferenceLike[];
  author?: ReferenceLike[];
  issued?: unknown;
  date?: unknown;
  reasonCode?: Coded[];
  reasonReference?: ReferenceLike[];
  category?: Coded[];
  type?: Coded;
  description?: unknown;
}

/** The study's keys from an imaging entry (FHIR ImagingStudy): its UID and accession numbers. */
export function studyKeysOf(entry: TimelineEntry): StudyKeys | undefined {
  const study = entry.resource as ResourceLike;
  if (study.resourceType !== 'ImagingStudy') return undefined;
  const ids = study.identifier ?? [];
  const studyUid =
    ids
      .filter(isDicomUid)
      .map((i) => uidOf(i.value))
      .find((u) => u !== undefined) ?? uidOf(study.id);
  if (!studyUid) return undefined;
  const accessions = ids
    .filter(isAccession)
    .map((i) => str(i.value))
    .filter((v): v is string => v !== undefined);
  return { studyUid, accessions };
}

/** The identifiers a report (or document) carries about its study. */
function reportKeys(resource: ResourceLike): { uids: Set<string>; accessions: Set<string> } {
  const identifiers: IdentifierLike[] = [
    ...(resource.identifier ?? []),
    ...(resource.imagingStudy ?? []).map((r) => r.identifier).filter((i): i is IdentifierLike => i !== undefined),
    ...(resource.context?.related ?? []).map((r) => r.identifier).filter((i): i is IdentifierLike => i !== undefined),
    // An order named by its accession number rather than by a resource id.
    ...(resource.basedOn ?? []).map((r) => r.identifier).filter((i): i is IdentifierLike => i !== undefined),
  ];
  const uids = new Set(
    identifiers
      .filter(isDicomUid)
      .map((i) => uidOf(i.value))
      .filter((v): v is string => v !== undefined),
  );
  const accessions = new Set(
    identifiers
      .filter(isAccession)
      .map((i) => str(i.value))
      .filter((v): v is string => v !== undefined),
  );
  return { uids, accessions };
}

/**
 * Whether a document is an imaging study's report: it names the study by accession number or
 * Study Instance UID (a CDA 检查报告 / Diagnostic Imaging Report as its converter files it). A
 * radiologist reads these among documents that are otherwise withheld from the role.
 */
export function isImagingReportDocument(resource: unknown): boolean {
  return (resource as ResourceLike)?.resourceType === 'DocumentReference' && namesImagingStudy(resource);
}

/** Whether a report-like resource names an imaging study by accession number or Study Instance UID. */
export function namesImagingStudy(resource: unknown): boolean {
  const r = resource as ResourceLike;
  if (typeof r?.resourceType !== 'string' || !REPORT_TYPES.has(r.resourceType)) return false;
  const keys = reportKeys(r);
  return keys.uids.size > 0 || keys.accessions.size > 0;
}

/** A UTF-8 text attachment's content; other content types are not the report's words. */
function attachedText(parts: readonly (AttachmentLike | undefined)[]): string | undefined {
  for (const part of parts) {
    const type = str(part?.contentType);
    const data = str(part?.data);
    if (!type?.startsWith('text/plain') || !data) continue;
    try {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      return str(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      continue; // not valid base64 or UTF-8: no findings rather than garbled ones
    }
  }
  return undefined;
}

/** Which report part a document's content holds, when its converter tagged it (a CDA 检查报告's parts). */
function sectionOf(content: NonNullable<ResourceLike['content']>[number]): ReportSection | undefined {
  const tag = content.extension?.find((e) => e.url === REPORT_SECTION_EXTENSION)?.valueCoding;
  return tag ? reportSectionOfCode(tag.system, tag.code) : undefined;
}

/** The report's own texts: tagged parts, else the first untagged plain text as its findings. */
function reportTexts(resource: ResourceLike): { findings?: string; impression?: string; indication: string[] } {
  const content = resource.content ?? [];
  const tagged = (part: ReportSection): string | undefined =>
    attachedText(content.filter((c) => sectionOf(c) === part).map((c) => c.attachment));
  const untagged = content.filter((c) => sectionOf(c) === undefined).map((c) => c.attachment);
  const findings = tagged('findings') ?? attachedText([...(resource.presentedForm ?? []), ...untagged]);
  const impression =
    str(resource.conclusion) ?? resource.conclusionCode?.map(codedText).find((t) => t !== undefined) ?? tagged('impression');
  const indication = (tagged('indication') ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return { ...(findings ? { findings } : {}), ...(impression ? { impression } : {}), indication };
}

/** What a reasonReference points to in the record (a Condition's or Observation's code), when it has no display. */
function referencedText(ref: ReferenceLike, entries: readonly TimelineEntry[]): string | undefined {
  const target = str(ref.reference);
  if (!target) return undefined;
  const found = entries.find((e) => {
    const r = e.resource as ResourceLike;
    return typeof r.resourceType === 'string' && typeof r.id === 'string' && `${r.resourceType}/${r.id}` === target;
  });
  return found ? (codedText((found.resource as { code?: Coded }).code) ?? str(found.title)) : undefined;
}

function indicationOf(resource: ResourceLike, accessions: ReadonlySet<string>, entries: readonly TimelineEntry[]): string[] {
  const based = new Set((resource.basedOn ?? []).map((r) => str(r.reference)).filter((v): v is string => v !== undefined));
  const reasons: string[] = [];
  for (const entry of entries) {
    const order = entry.resource as ResourceLike;
    if (order.resourceType !== 'ServiceRequest') continue;
    const byRef = typeof order.id === 'string' && based.has(`ServiceRequest/${order.id}`);
    const byAccession = (order.identifier ?? []).some((i) => isAccession(i) && accessions.has(str(i.value) ?? ''));
    if (!byRef && !byAccession) continue;
    for (const c of order.reasonCode ?? []) {
      const text = codedText(c);
      if (text) reasons.push(text);
    }
    for (const r of order.reasonReference ?? []) {
      const text = str(r.display) ?? referencedText(r, entries);
      if (text) reasons.push(text);
    }
  }
  return [...new Set(reasons)];
}

const REPORT_TYPES = new Set(['DiagnosticReport', 'DocumentReference', 'Composition']);

/**
 * The reports that name this study, newest first. A report matches by Study Instance UID or by
 * accession number; `matchedBy` says which (both when both agree). A report whose UID names
 * another study is not taken on its accession alone: accession numbers are only unique within
 * one RIS, and a UID disagreement means the accession collided.
 */
export function reportsForStudy(study: StudyKeys, entries: readonly TimelineEntry[]): LinkedReport[] {
  const linked: LinkedReport[] = [];
  for (const entry of entries) {
    const resource = entry.resource as ResourceLike;
    if (typeof resource.resourceType !== 'string' || !REPORT_TYPES.has(resource.resourceType)) continue;
    const keys = reportKeys(resource);
    const matchedBy: ReportMatch[] = [];
    if (study.accessions.some((a) => keys.accessions.has(a)) && (keys.uids.size === 0 || keys.uids.has(study.studyUid)))
      matchedBy.push('accession');
    if (keys.uids.has(study.studyUid)) matchedBy.push('study-uid');
    if (matchedBy.length === 0) continue;
    const source = entry.provenance[0];
    const texts = reportTexts(resource);
    const indication = [...new Set([...indicationOf(resource, keys.accessions, entries), ...texts.indication])];
    const author = [...(resource.resultsInterpreter ?? []), ...(resource.performer ?? []), ...(resource.author ?? [])]
      .map((r) => str(r.display))
      .find((d) => d !== undefined);
    const { findings, impression } = texts;
    const time = str(resource.issued) ?? str(resource.date) ?? entry.clinicalTime;
    linked.push({
      entryId: entry.id,
      matchedBy,
      title: entry.title,
      ...(resource.resourceType === 'DocumentReference' ? { document: true as const } : {}),
      ...(entry.status ? { status: entry.status } : {}),
      ...(findings ? { findings } : {}),
      ...(impression ? { impression } : {}),
      ...(author ? { author } : {}),
      ...(time ? { time } : {}),
      ...(source ? { sourceName: source.sourceName, sourceKind: source.sourceKind, nativeId: source.nativeId } : {}),
      ...(indication.length > 0 ? { indication } : {}),
    });
  }
  return linked.sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''));
}

/** The imaging study a report names, among the record's imaging entries: for "open the images". */
export function studyForReport(
  report: TimelineEntry,
  entries: readonly TimelineEntry[],
): { studyUid: string; matchedBy: ReportMatch[] } | undefined {
  for (const entry of entries) {
    if (entry.kind !== 'imaging') continue;
    const keys = studyKeysOf(entry);
    if (!keys) continue;
    const link = reportsForStudy(keys, [report])[0];
    if (link) return { studyUid: keys.studyUid, matchedBy: link.matchedBy };
  }
  return undefined;
}
