/**
 * SOAP 1.1 and 1.2 envelopes with WS-Addressing (Action, MessageID, To, ReplyTo), as IHE ITI
 * and Chinese integration platforms expect them, and the reading of responses: the body's
 * payload element, or the fault (1.1 faultcode/faultstring, 1.2 Code/Subcode/Reason).
 */
import type { Element } from '@xmldom/xmldom';
import { CdaError, isElement, parseXml, pathOf, rootElement, textOf } from '../xml/index.ts';
import { escapeXmlText } from './xml-text.ts';

export type SoapVersion = '1.1' | '1.2';

export const SOAP_NS: Readonly<Record<SoapVersion, string>> = {
  '1.1': 'http://schemas.xmlsoap.org/soap/envelope/',
  '1.2': 'http://www.w3.org/2003/05/soap-envelope',
};
export const WSA_NS = 'http://www.w3.org/2005/08/addressing';
export const WSA_ANONYMOUS = 'http://www.w3.org/2005/08/addressing/anonymous';

export interface EnvelopeParams {
  version: SoapVersion;
  action: string;
  messageId: string;
  to?: string;
  /** For responses: the request's MessageID. */
  relatesTo?: string;
  /** The payload element's XML. */
  body: string;
}

export function buildEnvelope(p: EnvelopeParams): string {
  const must = p.version === '1.2' ? 'true' : '1';
  const header =
    `<wsa:Action soap:mustUnderstand="${must}">${escapeXmlText(p.action)}</wsa:Action>` +
    `<wsa:MessageID>${escapeXmlText(p.messageId)}</wsa:MessageID>` +
    (p.to ? `<wsa:To>${escapeXmlText(p.to)}</wsa:To>` : '') +
    (p.relatesTo
      ? `<wsa:RelatesTo>${escapeXmlText(p.relatesTo)}</wsa:RelatesTo>`
      : `<wsa:ReplyTo><wsa:Address>${WSA_ANONYMOUS}</wsa:Address></wsa:ReplyTo>`);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soap:Envelope xmlns:soap="${SOAP_NS[p.version]}" xmlns:wsa="${WSA_NS}">` +
    `<soap:Header>${header}</soap:Header><soap:Body>${p.body}</soap:Body></soap:Envelope>`
  );
}

/** HTTP headers for a request: SOAP 1.2 carries the action in the content type, 1.1 in SOAPAction. */
export function soapRequestHeaders(version: SoapVersion, action: string): Record<string, string> {
  return version === '1.2'
    ? { 'content-type': `application/soap+xml; charset=utf-8; action="${action}"`, accept: 'application/soap+xml, text/xml' }
    : { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"`, accept: 'text/xml, application/soap+xml' };
}

export interface SoapFault {
  version: SoapVersion;
  /** "Sender"/"Receiver" (1.2) or "Client"/"Server" (1.1), without prefix. */
  code: string;
  subcode?: string;
  reason: string;
  detail?: string;
}

export type SoapMessage =
  | { kind: 'payload'; version: SoapVersion; payload: Element; action?: string; messageId?: string; relatesTo?: string }
  | { kind: 'fault'; fault: SoapFault };

function soapChildren(el: Element, ns: string, name: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (isElement(n) && n.namespaceURI === ns && n.localName === name) out.push(n);
  return out;
}

/** Fault children of SOAP 1.1 are unqualified; tolerate senders that qualify them anyway. */
function looseChild(el: Element | undefined, name: string): Element | undefined {
  if (!el) return undefined;
  for (let n = el.firstChild; n; n = n.nextSibling) if (isElement(n) && n.localName === name) return n;
  return undefined;
}

function localPart(qname: string | undefined): string {
  if (!qname) return '';
  const colon = qname.indexOf(':');
  return colon >= 0 ? qname.slice(colon + 1) : qname;
}

function readFault(fault: Element, version: SoapVersion): SoapFault {
  if (version === '1.2') {
    const code = looseChild(fault, 'Code');
    const subcode = looseChild(looseChild(code, 'Subcode'), 'Value');
    const reason = looseChild(looseChild(fault, 'Reason'), 'Text');
    const detail = textOf(looseChild(fault, 'Detail'));
    const sub = localPart(textOf(subcode));
    return {
      version,
      code: localPart(textOf(looseChild(code, 'Value'))) || 'Receiver',
      ...(sub ? { subcode: sub } : {}),
      reason: textOf(reason) ?? 'no reason given',
      ...(detail ? { detail } : {}),
    };
  }
  const detail = textOf(looseChild(fault, 'detail'));
  return {
    version,
    code: localPart(textOf(looseChild(fault, 'faultcode'))) || 'Server',
    reason: textOf(looseChild(fault, 'faultstring')) ?? 'no reason given',
    ...(detail ? { detail } : {}),
  };
}

/** Parses a SOAP response (either version, whatever was asked: some stacks answer 1.1 to 1.2). */
export function readEnvelope(input: string | Uint8Array): SoapMessage {
  return readEnvelopeElement(rootElement(parseXml(input, 'the SOAP response')));
}

/** An envelope already parsed: a megabyte answer costs a parse each time it is read again. */
export function readEnvelopeElement(root: Element): SoapMessage {
  const version: SoapVersion | undefined =
    root.namespaceURI === SOAP_NS['1.2'] ? '1.2' : root.namespaceURI === SOAP_NS['1.1'] ? '1.1' : undefined;
  if (root.localName !== 'Envelope' || !version) {
    throw new CdaError(
      'structure',
      pathOf(root),
      `expected a SOAP Envelope but got <${root.localName ?? root.nodeName}> in namespace ${root.namespaceURI ?? '(none)'}`,
    );
  }
  const ns = SOAP_NS[version];
  const body = soapChildren(root, ns, 'Body')[0];
  if (!body) throw new CdaError('structure', pathOf(root), 'SOAP Envelope without a Body');
  const payload = (() => {
    for (let n = body.firstChild; n; n = n.nextSibling) if (isElement(n)) return n;
    return undefined;
  })();
  if (!payload) throw new CdaError('structure', pathOf(body), 'SOAP Body is empty');
  if (payload.namespaceURI === ns && payload.localName === 'Fault') return { kind: 'fault', fault: readFault(payload, version) };
  const header = soapChildren(root, ns, 'Header')[0];
  const wsa = (name: string): string | undefined => {
    if (!header) return undefined;
    for (let n = header.firstChild; n; n = n.nextSibling)
      if (isElement(n) && n.namespaceURI === WSA_NS && n.localName === name) return textOf(n);
    return undefined;
  };
  const action = wsa('Action');
  const relatesTo = wsa('RelatesTo');
  const messageId = wsa('MessageID');
  return {
    kind: 'payload',
    version,
    payload,
    ...(action ? { action } : {}),
    ...(messageId ? { messageId } : {}),
    ...(relatesTo ? { relatesTo } : {}),
  };
}

export function faultXml(version: SoapVersion, fault: { code: 'Sender' | 'Receiver'; reason: string; subcode?: string }): string {
  if (version === '1.2') {
    const sub = fault.subcode ? `<soap:Subcode><soap:Value>${escapeXmlText(fault.subcode)}</soap:Value></soap:Subcode>` : '';
    return `<soap:Fault><soap:Code><soap:Value>soap:${fault.code}</soap:Value>${sub}</soap:Code><soap:Reason><soap:Text xml:lang="en">${escapeXmlText(fault.reason)}</soap:Text></soap:Reason></soap:Fault>`;
  }
  return `<soap:Fault><faultcode>soap:${fault.code === 'Sender' ? 'Client' : 'Server'}</faultcode><faultstring>${escapeXmlText(fault.reason)}</faultstring></soap:Fault>`;
}
