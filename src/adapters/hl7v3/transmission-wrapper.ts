/**
 * The HL7 v3 transmission wrapper (MCCI_MT000100UV01 / MCCI_MT000300UV01) every message of this
 * adapter and of the demo platform travels in: message id, creation time, interaction id,
 * sender and receiver devices, and — in responses — the acknowledgement.
 */
import type { Element } from '@xmldom/xmldom';
import { attr, child, children, descend, textOf } from '../cda/xml/v3-dom.ts';
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
  detail?: { code?: string; text: string };
}

function device(role: 'receiver' | 'sender', oid: string): string {
  const typeCode = role === 'receiver' ? 'RCV' : 'SND';
  return `<${role} typeCode="${typeCode}"><device classCode="DEV" determinerCode="INSTANCE"><id${attrs({ root: oid })}/></device></${role}>`;
}

export function acknowledgementXml(ack: AcknowledgementParams): string {
  const detail = ack.detail
    ? `<acknowledgementDetail typeCode="E">${ack.detail.code ? `<code${attrs({ code: ack.detail.code, codeSystem: '2.16.840.1.113883.5.1100' })}/>` : ''}<text>${escapeText(ack.detail.text)}</text></acknowledgementDetail>`
    : '';
  return `<acknowledgement><typeCode code="${ack.typeCode}"/><targetMessage><id${attrs({ root: ack.targetMessage.root, extension: ack.targetMessage.extension })}/></targetMessage>${detail}</acknowledgement>`;
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

export interface Acknowledgement {
  typeCode?: string;
  details: string[];
}

/** acknowledgement/typeCode (AA, AE, AR; CA/CE/CR accepted as their equivalents) and its details. */
export function readAcknowledgement(message: Element): Acknowledgement {
  const acks = children(message, 'acknowledgement');
  const first = acks[0];
  const raw = attr(child(first, 'typeCode'), 'code');
  const typeCode = raw ? ({ CA: 'AA', CE: 'AE', CR: 'AR' } as Record<string, string>)[raw] ?? raw : undefined;
  const details = acks
    .flatMap((a) => children(a, 'acknowledgementDetail'))
    .map((d) => textOf(child(d, 'text')) ?? attr(child(d, 'code'), 'displayName') ?? attr(child(d, 'code'), 'code'))
    .filter((t): t is string => !!t);
  return { ...(typeCode ? { typeCode } : {}), details };
}

/** The message id a response refers to, to check it answers what we asked. */
export function targetMessageId(message: Element): string | undefined {
  return attr(descend(message, 'acknowledgement', 'targetMessage', 'id'), 'extension');
}
