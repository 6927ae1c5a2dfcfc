/**
 * The HL7 v3 transmission wrapper (MCCI_MT000100UV01 / MCCI_MT000300UV01) every message of this
 * adapter and of the demo platform travels in: message id, creation time, interaction id,
 * sender and receiver devices, and — in responses — the acknowledgement.
 */
import type { Element } from '@xmldom/xmldom';
import { attr, child, children, descend, descendAll, textOf } from '../xml/index.ts';
import { attrs, hl7Timestamp } from './xml-text.ts';

export interface WrapperParams {
  interaction: string;
  /** id/@root: the sending device's OID; id/@extension: the message id. */
  messageRoot: string;
  messageId: string;
  creationTime: Date;
  senderDevice: string;
  receiverDevice: string;
}

export interface AcknowledgementParams {
  typeCode: 'AA' | 'AE' | 'AR';
  targetMessage: { root: string; extension?: string };
  /** typeCode E (default) with an AE/AR, W on an accepted answer the platform warns about. */
  detail?: { code?: string; text: string; typeCode?: 'E' | 'W' | 'I' };
  /**
   * "element" (default): `<typeCode code="AE"/>` and `<text>…</text>`, the normative XML ITS.
   * "attribute": `<acknowledgement typeCode="AE">` and `<text value="…"/>`, as 互联互通 platforms write it.
   */
  style?: 'element' | 'attribute';
}

function device(role: 'receiver' | 'sender', oid: string): string {
  const typeCode = role === 'receiver' ? 'RCV' : 'SND';
  return `<${role} typeCode="${typeCode}"><device classCode="DEV" determinerCode="INSTANCE"><id${attrs({ root: oid })}/></device></${role}>`;
}

export function acknowledgementXml(ack: AcknowledgementParams): string {
  const iso = ack.style === 'attribute';
  const text = ack.detail ? (iso ? `<text${attrs({ value: ack.detail.text })}/>` : `<text>${escapeText(ack.detail.text)}</text>`) : '';
  const detail = ack.detail
    ? `<acknowledgementDetail typeCode="${ack.detail.typeCode ?? 'E'}">${ack.detail.code ? `<code${attrs({ code: ack.detail.code, codeSystem: '2.16.840.1.113883.5.1100' })}/>` : ''}${text}</acknowledgementDetail>`
    : '';
  const open = iso ? `<acknowledgement typeCode="${ack.typeCode}">` : `<acknowledgement><typeCode code="${ack.typeCode}"/>`;
  return `${open}<targetMessage><id${attrs({ root: ack.targetMessage.root, extension: ack.targetMessage.extension })}/></targetMessage>${detail}</acknowledgement>`;
}

function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** A complete message element: wrapper, optional acknowledgement, then the payload (controlActProcess). */
export function wrapMessage(p: WrapperParams, payload: string, ack?: AcknowledgementParams): string {
  return (
    `<${p.interaction} xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ITSVersion="XML_1.0">` +
    `<id${attrs({ root: p.messageRoot, extension: p.messageId })}/>` +
    `<creationTime value="${hl7Timestamp(p.creationTime)}"/>` +
    `<interactionId root="2.16.840.1.113883.1.6" extension="${p.interaction}"/>` +
    '<processingCode code="P"/><processingModeCode code="T"/><acceptAckCode code="AL"/>' +
    device('receiver', p.receiverDevice) +
    device('sender', p.senderDevice) +
    (ack ? acknowledgementXml(ack) : '') +
    payload +
    `</${p.interaction}>`
  );
}

/** One acknowledgementDetail as the platform wrote it: its type (E/W/I), code and text. */
export interface AcknowledgementNote {
  /** E (error), W (warning), I (information); the standard's default is E. */
  typeCode: string;
  code?: string;
  text?: string;
}

export interface Acknowledgement {
  typeCode?: string;
  details: string[];
  /** Every acknowledgementDetail with its type: on an accepted answer, W (and E) say part of it is missing. */
  notes?: AcknowledgementNote[];
}

const COMMIT_TO_APPLICATION: Readonly<Record<string, string>> = { CA: 'AA', CE: 'AE', CR: 'AR' };

/**
 * Where a message keeps its acknowledgement(s): on the wrapper, as the standard says, or — as some
 * platforms write it — inside controlActProcess.
 */
function acknowledgementsOf(message: Element): Element[] {
  const top = children(message, 'acknowledgement');
  return top.length > 0 ? top : children(child(message, 'controlActProcess') ?? message, 'acknowledgement');
}

/**
 * The type code in either spelling: the element `<typeCode code="AE"/>` (the normative XML ITS)
 * or the attribute `<acknowledgement typeCode="AE">` that Chinese 互联互通 platforms (and NHS
 * MCCI) write. Reading only one of them turned every error answer of the other kind into an
 * empty success.
 */
function typeCodeOf(ack: Element): string | undefined {
  const raw = attr(child(ack, 'typeCode'), 'code') ?? attr(ack, 'typeCode');
  if (!raw) return undefined;
  const upper = raw.toUpperCase();
  return COMMIT_TO_APPLICATION[upper] ?? upper;
}

/** ST text as content (`<text>…</text>`) or, in the ISO data-type style, as `<text value="…"/>`. */
function detailText(detail: Element): string | undefined {
  const text = child(detail, 'text');
  const code = child(detail, 'code');
  return (
    textOf(text) ?? attr(text, 'value') ?? attr(code, 'displayName') ?? attr(child(code, 'displayName'), 'value') ?? attr(code, 'code')
  );
}

function issueText(issue: Element): string | undefined {
  const code = child(issue, 'code');
  const required = attr(descend(issue, 'triggerFor', 'actOrderRequired', 'code'), 'code');
  const text = textOf(child(issue, 'text')) ?? attr(code, 'displayName') ?? attr(code, 'code');
  return [text, required].filter(Boolean).join(': ') || undefined;
}

function noteOf(detail: Element): AcknowledgementNote {
  const code = child(detail, 'code');
  const codeValue = attr(code, 'code');
  const text = textOf(child(detail, 'text')) ?? attr(child(detail, 'text'), 'value');
  return {
    typeCode: (attr(detail, 'typeCode') ?? 'E').toUpperCase(),
    ...(codeValue ? { code: codeValue } : {}),
    ...(text ? { text } : {}),
  };
}

/** acknowledgement type (AA, AE, AR; CA/CE/CR read as their equivalents) and the detail texts. */
export function readAcknowledgement(message: Element): Acknowledgement {
  const acks = acknowledgementsOf(message);
  // Several acknowledgements (one per target message) speak for the answer by the worst of them.
  const codes = acks.map(typeCodeOf).filter((t): t is string => t !== undefined);
  const typeCode = codes.find((t) => t !== 'AA' && t !== 'AE') ?? codes.find((t) => t === 'AE') ?? codes[0];
  const detailElements = acks.flatMap((a) => children(a, 'acknowledgementDetail'));
  const details = detailElements.map(detailText).filter((t): t is string => !!t);
  // IHE (PDQv3 unknown domain, …) also states the issue as controlActProcess/reasonOf/detectedIssueEvent.
  const issues = descendAll(child(message, 'controlActProcess') ?? message, 'reasonOf', 'detectedIssueEvent')
    .map(issueText)
    .filter((t): t is string => !!t && !details.includes(t));
  return { ...(typeCode ? { typeCode } : {}), details: [...details, ...issues], notes: detailElements.map(noteOf) };
}

/** The message id a response refers to, to check it answers what we asked. */
export function targetMessageId(message: Element): string | undefined {
  return attr(descend(acknowledgementsOf(message)[0], 'targetMessage', 'id'), 'extension');
}
