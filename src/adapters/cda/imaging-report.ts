/**
 * A CDA 检查报告 (WS/T 500 C0006) or Diagnostic Imaging Report (C-CDA DIR, DICOM PS3.20) read as
 * the imaging report it is: the accession number and Study Instance UID that tie it to its study,
 * and its findings, impression and the order's indication as plain text. The converter puts the
 * keys in DocumentReference.context.related and the texts beside the original, so the record
 * links the report to its images the same way it links a FHIR DiagnosticReport.
 */
import type { Attachment, DocumentReferenceContent, Identifier, Reference } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { DCM_SYSTEM, REPORT_SECTION_CODES, REPORT_SECTION_EXTENSION, type ReportSection } from '../../shared/domain/report-sections.ts';
import { attr, child, children, descend, descendAll, iiToIdentifier, readIi, textOf, xsiType, type V3Id } from '../xml/index.ts';
import type { CdaHeader } from './cda-header.ts';
import type { NarrativeLookup } from './narrative-references.ts';

export interface ImagingReportParts {
  /** Accession numbers (the RIS's order id; WS/T 500's 电子申请单编号). */
  accessions: Identifier[];
  /** Study Instance UIDs, bare (no urn:oid: prefix). */
  studyUids: string[];
  findings?: string;
  impression?: string;
  /** Why the study was ordered: the reason for study, 主诉, clinical diagnosis, history. */
  indication: string[];
}

const DCM_OID = '1.2.840.10008.2.16.4';
const LOINC_OID = '2.16.840.1.113883.6.1';
/** WS/T 500's 电子申请单编号 (electronic order number): the key a Chinese RIS files the study under. */
const WST500_ORDER_ROOT = '2.16.156.10011.1.24';
const DIR_TEMPLATE = '2.16.840.1.113883.10.20.22.1.5';
/** C-CDA DIR's and WS/T 500's document codes of an imaging report (检查报告). */
const REPORT_DOCUMENT_CODES = new Set(['18748-4', 'C0006']);
const DICOM_UID = /^[0-2](\.(0|[1-9]\d*))+$/;
const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** Sections by code: DICOM's own (DIR), LOINC's report sections, and the indication-like ones. */
const SECTION_PART: ReadonlyMap<string, ReportSection> = new Map([
  [`${DCM_OID}|121070`, 'findings'],
  [`${LOINC_OID}|18782-3`, 'findings'],
  [`${DCM_OID}|121072`, 'impression'],
  [`${LOINC_OID}|19005-8`, 'impression'],
  [`${DCM_OID}|121109`, 'indication'],
  [`${DCM_OID}|121060`, 'indication'],
  [`${LOINC_OID}|18785-6`, 'indication'],
  [`${LOINC_OID}|42349-1`, 'indication'],
  [`${LOINC_OID}|29299-5`, 'indication'],
  [`${LOINC_OID}|46239-0`, 'indication'],
  [`${LOINC_OID}|10154-3`, 'indication'],
  [`${LOINC_OID}|11329-0`, 'indication'],
  // WS/T 500 检查报告's 诊断记录章节 is the requester's clinical diagnosis.
  [`${LOINC_OID}|29548-5`, 'indication'],
]);

/** WS/T 500 data elements (卫生信息数据元目录) that carry a report part wherever they sit. */
const ELEMENT_PART: ReadonlyMap<string, ReportSection> = new Map([
  ['DE04.50.131.00', 'findings'], // 检查报告结果-客观所见
  ['DE04.50.132.00', 'impression'], // 检查报告结果-主观提示
  ['DE04.01.119.00', 'indication'], // 主诉
  ['DE05.01.025.00', 'indication'], // 诊断名称
  ['DE05.01.024.00', 'indication'], // 诊断代码 (its displayName)
]);

const isUid = (value: string): boolean => value.length <= 64 && DICOM_UID.test(value);

/** Platforms fill unknown WS/T 500 values with "-" or leave them empty: no value, not a text. */
function usable(text: string | undefined): string | undefined {
  const t = text?.replace(/\\X0*d\\/gi, '\n').trim();
  return t && t !== '-' && t !== '/' ? t : undefined;
}

function codeKey(codeEl: Element | undefined): string | undefined {
  const code = attr(codeEl, 'code');
  const system = attr(codeEl, 'codeSystem');
  return code && system ? `${system}|${code}` : undefined;
}

/** A narrative block as lines: paragraphs, list items and table rows each on their own. */
function narrativeLines(text: Element | undefined): string[] {
  if (!text) return [];
  const blocks = children(text);
  if (blocks.length === 0) return [textOf(text)].filter((t): t is string => t !== undefined);
  const lines: string[] = [];
  for (const block of blocks) {
    const name = block.localName;
    if (name === 'list') lines.push(...children(block, 'item').flatMap((i) => textOf(i) ?? []));
    else if (name === 'table')
      lines.push(...['thead', 'tbody', 'tfoot'].flatMap((g) => descendAll(block, g, 'tr')).flatMap((tr) => textOf(tr) ?? []));
    else if (name !== 'caption' && name !== 'footnote') lines.push(...[textOf(block)].filter((t): t is string => t !== undefined));
  }
  return lines;
}

/** An entry value as text: inline, through a narrative reference, or a coded value's display. */
function valueText(value: Element | undefined, lookup: NarrativeLookup): string | undefined {
  if (!value) return undefined;
  const ref = attr(child(value, 'reference'), 'value') ?? attr(descend(value, 'originalText', 'reference'), 'value');
  if (ref) return usable(lookup(ref));
  return usable(attr(value, 'displayName') ?? textOf(child(value, 'originalText')) ?? (attr(value, 'code') ? undefined : textOf(value)));
}

/** Every observation among a section's entries, nested ones included (WS/T 500 nests names in codes). */
function observations(entries: readonly Element[]): Element[] {
  const out: Element[] = [];
  const visit = (el: Element): void => {
    if (el.localName === 'observation') out.push(el);
    for (const rel of [...children(el, 'entryRelationship'), ...children(el, 'component')]) for (const inner of children(rel)) visit(inner);
  };
  for (const e of entries) for (const inner of children(e)) visit(inner);
  return out;
}

const isTextValue = (value: Element | undefined): boolean => value !== undefined && ['ED', 'ST'].includes(xsiType(value) ?? '');

interface Collected {
  findings: string[];
  impression: string[];
  indication: string[];
}

function collectSection(section: Element, lookup: NarrativeLookup, into: Collected): void {
  const part = SECTION_PART.get(codeKey(child(section, 'code')) ?? '');
  const obs = observations(children(section, 'entry'));
  const byElement = obs.flatMap((o) => {
    const p = ELEMENT_PART.get(attr(child(o, 'code'), 'code') ?? '');
    const text = p ? valueText(child(o, 'value'), lookup) : undefined;
    return p && text ? [{ part: p, text }] : [];
  });
  for (const { part: p, text } of byElement) into[p].push(text);
  if (part && byElement.length === 0) {
    // DIR text observations point into the narrative; otherwise the narrative itself is the text.
    const texts = obs.flatMap((o) => (isTextValue(child(o, 'value')) ? (valueText(child(o, 'value'), lookup) ?? []) : []));
    into[part].push(...(texts.length > 0 ? texts : narrativeLines(child(section, 'text'))));
  }
  for (const nested of children(section, 'component').flatMap((c) => children(c, 'section'))) collectSection(nested, lookup, into);
}

function sectionsOf(doc: Element): Element[] {
  return children(descend(doc, 'component', 'structuredBody') ?? doc, 'component').flatMap((c) => children(c, 'section'));
}

/** Study UIDs: documentationOf/serviceEvent/id (PS3.20: root = Study Instance UID) and the DICOM Object Catalog's study acts. */
function studyUidsOf(doc: Element, sections: readonly Element[]): string[] {
  const ids: V3Id[] = children(doc, 'documentationOf')
    .flatMap((d) => children(d, 'serviceEvent'))
    .flatMap((s) => children(s, 'id'))
    .flatMap((i) => readIi(i) ?? []);
  const catalog = sections.filter((s) => codeKey(child(s, 'code')) === `${DCM_OID}|121181`);
  for (const entry of catalog.flatMap((s) => children(s, 'entry'))) {
    for (const act of children(entry, 'act')) {
      const id = codeKey(child(act, 'code')) === `${DCM_OID}|113014` ? readIi(child(act, 'id')) : undefined;
      if (id) ids.push(id);
    }
  }
  const uids = ids.flatMap((id) => {
    if (id.extension === undefined) return isUid(id.root) ? [id.root] : [];
    // Some senders put the UID in the extension under DICOM's own root.
    return id.root.startsWith('1.2.840.10008.') && isUid(id.extension) ? [id.extension] : [];
  });
  return [...new Set(uids)];
}

function accession(id: V3Id): Identifier {
  return { ...iiToIdentifier(id), type: { coding: [{ system: V2_0203, code: 'ACSN' }], text: 'Accession number' } };
}

/** Accession numbers: the order in inFulfillmentOf (PS3.20: its first id), WS/T 500's 电子申请单编号. */
function accessionsOf(doc: Element): Identifier[] {
  const ids: V3Id[] = [];
  for (const order of children(doc, 'inFulfillmentOf').flatMap((f) => children(f, 'order'))) {
    const first = children(order, 'id')
      .flatMap((i) => readIi(i) ?? [])
      .find((i) => usable(i.extension) !== undefined);
    if (first) ids.push(first);
  }
  const role = descend(doc, 'recordTarget', 'patientRole');
  for (const id of role ? children(role, 'id').flatMap((i) => readIi(i) ?? []) : [])
    if (id.root === WST500_ORDER_ROOT && usable(id.extension)) ids.push(id);
  const seen = new Set<string>();
  return ids.filter((i) => !seen.has(i.extension ?? '') && seen.add(i.extension ?? '')).map(accession);
}

function isImagingReport(header: CdaHeader, sections: readonly Element[]): boolean {
  return (
    header.code.coding?.some((c) => REPORT_DOCUMENT_CODES.has(c.code ?? '')) === true ||
    header.templateIds.includes(DIR_TEMPLATE) ||
    sections.some((s) => attr(child(s, 'code'), 'codeSystem') === DCM_OID)
  );
}

/** The report's keys and texts, or undefined when the document is not an imaging report. */
export function readImagingReport(doc: Element, header: CdaHeader, lookup: NarrativeLookup): ImagingReportParts | undefined {
  const sections = sectionsOf(doc);
  if (!isImagingReport(header, sections)) return undefined;
  const into: Collected = { findings: [], impression: [], indication: [] };
  for (const s of sections) collectSection(s, lookup, into);
  const joined = (lines: string[]): string | undefined => usable([...new Set(lines)].join('\n'));
  const findings = joined(into.findings);
  const impression = joined(into.impression);
  return {
    accessions: accessionsOf(doc),
    studyUids: studyUidsOf(doc, sections),
    ...(findings ? { findings } : {}),
    ...(impression ? { impression } : {}),
    indication: [...new Set(into.indication)],
  };
}

/** DocumentReference.context.related: the study and its order, by identifier (no resource of ours). */
export function reportRelated(parts: ImagingReportParts): Reference[] {
  return [
    ...parts.studyUids.map((uid) => ({
      identifier: { system: 'urn:dicom:uid', value: `urn:oid:${uid}` },
      display: `Study Instance UID ${uid}`,
    })),
    ...parts.accessions.map((identifier) => ({ identifier, display: `Accession ${identifier.value ?? ''}` })),
  ];
}

function textContent(part: ReportSection, text: string, title: string): DocumentReferenceContent {
  const attachment: Attachment = { contentType: 'text/plain; charset=utf-8', data: Buffer.from(text, 'utf8').toString('base64'), title };
  const { code, display } = REPORT_SECTION_CODES[part];
  return { attachment, extension: [{ url: REPORT_SECTION_EXTENSION, valueCoding: { system: DCM_SYSTEM, code, display } }] };
}

/** The report's parts as tagged text attachments, after the original and its HTML. */
export function reportContent(parts: ImagingReportParts, title: string): DocumentReferenceContent[] {
  return [
    ...(parts.findings ? [textContent('findings', parts.findings, `${title}: ${REPORT_SECTION_CODES.findings.display}`)] : []),
    ...(parts.impression ? [textContent('impression', parts.impression, `${title}: ${REPORT_SECTION_CODES.impression.display}`)] : []),
    ...(parts.indication.length > 0
      ? [textContent('indication', parts.indication.join('\n'), `${title}: ${REPORT_SECTION_CODES.indication.display}`)]
      : []),
  ];
}
