/**
 * Shared-document query and retrieve over the platform, modelled on the Chinese 互联互通
 * 共享文档 services (文档检索 / 文档调阅). The national specification fixes the CDA documents
 * (WS/T 500) but each platform vendor names its own service operations, so these four message
 * shapes are Huizhen's profile of them, carried in the standard HL7 v3 transmission wrapper:
 *
 *   QueryDocumentListRequest   (SOAP action urn:hl7-org:v3:QueryDocumentList)
 *     controlActProcess/queryByParameter/parameterList/
 *       patientId/value                 II   the platform's patient id (root = its EMPI OID)
 *       documentTypeCode/value          CD   0..* e.g. C0053 @ 2.16.156.10011.2.4 (出院小结)
 *   QueryDocumentListResponse
 *     acknowledgement/typeCode               AA | AE | AR (+ acknowledgementDetail/text)
 *     controlActProcess/subject/document     0..*, each:
 *       id (II), code (CD, WS/T 500 or LOINC), title, effectiveTime (TS)
 *     controlActProcess/queryAck/queryResponseCode   OK | NF | AE | QE
 *
 *   RetrieveDocumentRequest    (SOAP action urn:hl7-org:v3:RetrieveDocument)
 *     controlActProcess/queryByParameter/parameterList/documentId/value   II
 *   RetrieveDocumentResponse
 *     acknowledgement/typeCode               AA | AE | AR
 *     controlActProcess/subject/document/id, code, title, effectiveTime
 *     controlActProcess/subject/document/text  ED, mediaType="text/xml" representation="B64":
 *       the CDA document, base64 (platforms also send it inline as a ClinicalDocument child,
 *       which is read too)
 */
import type { CodeableConcept } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import {
  attr,
  CdaError,
  child,
  children,
  descend,
  descendAll,
  isElement,
  pathOf,
  readCd,
  readIi,
  requireRoot,
  textOf,
  tsToFhir,
  type V3Id,
} from '../xml/index.ts';
import { parseWarning, type ParseWarning } from './parse-warning.ts';
import { readAcknowledgement, wrapMessage, type AcknowledgementParams, type WrapperParams } from './transmission-wrapper.ts';
import { attrs, escapeXmlText } from './xml-text.ts';

export const DOCUMENT_QUERY = {
  request: 'QueryDocumentListRequest',
  response: 'QueryDocumentListResponse',
  action: 'urn:hl7-org:v3:QueryDocumentList',
} as const;
export const DOCUMENT_RETRIEVE = {
  request: 'RetrieveDocumentRequest',
  response: 'RetrieveDocumentResponse',
  action: 'urn:hl7-org:v3:RetrieveDocument',
} as const;

export interface DocumentSummary {
  id: V3Id;
  code?: CodeableConcept;
  title?: string;
  /** FHIR dateTime. */
  effectiveTime?: string;
}

export interface DocumentListAnswer {
  acknowledgement: ReturnType<typeof readAcknowledgement>;
  queryResponseCode?: string;
  documents: DocumentSummary[];
}

export interface RetrievedDocument {
  acknowledgement: ReturnType<typeof readAcknowledgement>;
  summary?: DocumentSummary;
  /** The CDA XML as bytes, exactly as sent (base64-decoded, or re-serialised when inline). */
  cda?: Uint8Array;
}

function queryPayload(queryRoot: string, queryId: string, parameters: string): string {
  return (
    '<controlActProcess classCode="CACT" moodCode="EVN"><queryByParameter>' +
    `<queryId${attrs({ root: queryRoot, extension: queryId })}/><statusCode code="new"/>` +
    `<parameterList>${parameters}</parameterList></queryByParameter></controlActProcess>`
  );
}

export function buildDocumentListQuery(
  wrapper: Omit<WrapperParams, 'interaction'>,
  queryId: string,
  patient: V3Id,
  typeCodes: { code: string; codeSystem: string }[] = [],
): string {
  const params =
    `<patientId><value${attrs({ root: patient.root, extension: patient.extension })}/></patientId>` +
    typeCodes.map((t) => `<documentTypeCode><value${attrs({ code: t.code, codeSystem: t.codeSystem })}/></documentTypeCode>`).join('');
  return wrapMessage({ ...wrapper, interaction: DOCUMENT_QUERY.request }, queryPayload(wrapper.messageRoot, queryId, params));
}

export function buildDocumentRetrieve(wrapper: Omit<WrapperParams, 'interaction'>, queryId: string, documentId: V3Id): string {
  const params = `<documentId><value${attrs({ root: documentId.root, extension: documentId.extension })}/></documentId>`;
  return wrapMessage({ ...wrapper, interaction: DOCUMENT_RETRIEVE.request }, queryPayload(wrapper.messageRoot, queryId, params));
}

function summaryXml(d: {
  id: V3Id;
  code: { code: string; codeSystem: string; displayName?: string };
  title: string;
  effectiveTime: string;
}): string {
  return (
    `<id${attrs({ root: d.id.root, extension: d.id.extension })}/>` +
    `<code${attrs({ code: d.code.code, codeSystem: d.code.codeSystem, displayName: d.code.displayName })}/>` +
    `<title>${escapeXmlText(d.title)}</title><effectiveTime value="${escapeXmlText(d.effectiveTime)}"/>`
  );
}

export interface DocumentListing {
  id: V3Id;
  code: { code: string; codeSystem: string; displayName?: string };
  title: string;
  /** HL7 TS. */
  effectiveTime: string;
}

/** Server side (the demo platform): the answer to a document list query. */
export function buildDocumentListResponse(
  wrapper: Omit<WrapperParams, 'interaction'>,
  ack: AcknowledgementParams,
  queryId: V3Id | undefined,
  documents: DocumentListing[],
  responseCode: 'OK' | 'NF' | 'AE' | 'QE',
): string {
  const subjects = documents
    .map((d) => `<subject typeCode="SUBJ"><document classCode="DOCCLIN" moodCode="EVN">${summaryXml(d)}</document></subject>`)
    .join('');
  const queryAck = `<queryAck>${queryId ? `<queryId${attrs({ root: queryId.root, extension: queryId.extension })}/>` : ''}<queryResponseCode code="${responseCode}"/><resultTotalQuantity value="${documents.length}"/></queryAck>`;
  return wrapMessage(
    { ...wrapper, interaction: DOCUMENT_QUERY.response },
    `<controlActProcess classCode="CACT" moodCode="EVN">${subjects}${queryAck}</controlActProcess>`,
    ack,
  );
}

/** Server side: the answer to a retrieve, the CDA base64-encoded. */
export function buildDocumentRetrieveResponse(
  wrapper: Omit<WrapperParams, 'interaction'>,
  ack: AcknowledgementParams,
  document: (DocumentListing & { cda: string }) | undefined,
): string {
  const subject = document
    ? `<subject typeCode="SUBJ"><document classCode="DOCCLIN" moodCode="EVN">${summaryXml(document)}<text mediaType="text/xml" representation="B64">${Buffer.from(document.cda, 'utf8').toString('base64')}</text></document></subject>`
    : '';
  const responseCode = document ? 'OK' : 'NF';
  return wrapMessage(
    { ...wrapper, interaction: DOCUMENT_RETRIEVE.response },
    `<controlActProcess classCode="CACT" moodCode="EVN">${subject}<queryAck><queryResponseCode code="${responseCode}"/></queryAck></controlActProcess>`,
    ack,
  );
}

function readSummary(doc: Element, defaultTimezone: string): DocumentSummary | undefined {
  const id = readIi(child(doc, 'id'));
  if (!id) return undefined;
  const code = readCd(child(doc, 'code'));
  const title = textOf(child(doc, 'title'));
  const ts = attr(child(doc, 'effectiveTime'), 'value');
  const effectiveTime = ts ? tsToFhir(ts, defaultTimezone) : undefined;
  return { id, ...(code ? { code } : {}), ...(title ? { title } : {}), ...(effectiveTime ? { effectiveTime } : {}) };
}

export function readDocumentList(message: Element, defaultTimezone = '+08:00'): DocumentListAnswer & { skipped: ParseWarning[] } {
  requireRoot(message, [DOCUMENT_QUERY.response], 'a document list response');
  const acknowledgement = readAcknowledgement(message);
  const control = child(message, 'controlActProcess');
  const queryResponseCode = attr(descend(control, 'queryAck', 'queryResponseCode'), 'code');
  const skipped: ParseWarning[] = [];
  const documents: DocumentSummary[] = [];
  for (const doc of control ? descendAll(control, 'subject', 'document') : []) {
    const s = readSummary(doc, defaultTimezone);
    if (s) documents.push(s);
    else skipped.push(parseWarning('record-skipped', pathOf(doc), 'document without an id; skipped'));
  }
  return { acknowledgement, ...(queryResponseCode ? { queryResponseCode } : {}), documents, skipped };
}

export function readRetrievedDocument(message: Element, defaultTimezone = '+08:00'): RetrievedDocument {
  requireRoot(message, [DOCUMENT_RETRIEVE.response], 'a document retrieve response');
  const acknowledgement = readAcknowledgement(message);
  const doc = descend(message, 'controlActProcess', 'subject', 'document');
  if (!doc) return { acknowledgement };
  const summary = readSummary(doc, defaultTimezone);
  const text = child(doc, 'text');
  const inline =
    children(doc).find((c) => c.localName === 'ClinicalDocument') ??
    (text ? children(text).find((c) => c.localName === 'ClinicalDocument') : undefined);
  if (inline) {
    return { acknowledgement, ...(summary ? { summary } : {}), cda: Buffer.from(inline.toString(), 'utf8') };
  }
  if (!text) throw new CdaError('structure', pathOf(doc), 'document has neither <text> nor an inline ClinicalDocument');
  let raw = '';
  for (let n = text.firstChild; n; n = n.nextSibling) if (!isElement(n)) raw += n.nodeValue ?? '';
  const b64 = raw.replace(/\s+/g, '');
  if (attr(text, 'representation') !== 'B64' || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw new CdaError('value', pathOf(text), 'document text is not base64 (representation="B64" expected)');
  }
  return { acknowledgement, ...(summary ? { summary } : {}), cda: Buffer.from(b64, 'base64') };
}
