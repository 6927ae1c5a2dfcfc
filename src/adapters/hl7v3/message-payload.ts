/**
 * The HL7 v3 message inside whatever a platform put in the SOAP Body. IHE profiles put the
 * message element itself there; many Chinese integration platforms (the "HIPMessageServer"
 * style of ESB: one operation, `action` + `message` string parameters) put it in an operation
 * wrapper, either as an element or as escaped XML text in a `…Result` element. Without this the
 * wrapper was taken for the answer and the platform's acknowledgement was never seen.
 */
import type { Element } from '@xmldom/xmldom';
import { isElement, parseXml, rootElement } from '../xml/index.ts';

/** HL7 v3 interaction ids: PRPA_IN201306UV02, MCCI_IN000002UV01, … */
const INTERACTION = /^[A-Z]{4}_IN\d{6}[A-Z]{2}\d{2}$/;
/** Wrappers are shallow; a message further down is content, not the answer. */
const MAX_WRAPPER_DEPTH = 3;

function elementChildren(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (isElement(n)) out.push(n);
  return out;
}

/** A message element: named as an interaction, or carrying the transmission wrapper's interactionId. */
export function isHl7v3Message(el: Element): boolean {
  if (INTERACTION.test(el.localName ?? '')) return true;
  return elementChildren(el).some((c) => c.localName === 'interactionId');
}

function ownText(el: Element): string {
  let text = '';
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 3 || n.nodeType === 4) text += n.nodeValue ?? '';
  return text.trim();
}

function find(el: Element, depth: number): Element | undefined {
  if (isHl7v3Message(el)) return el;
  if (depth >= MAX_WRAPPER_DEPTH) return undefined;
  const kids = elementChildren(el);
  for (const k of kids) {
    const found = find(k, depth + 1);
    if (found) return found;
  }
  // Escaped XML as a string parameter: parsed with the same DTD-refusing parser as everything else.
  const text = kids.length === 0 ? ownText(el) : '';
  if (text.startsWith('<')) {
    const inner = rootElement(parseXml(text, 'the HL7 v3 message inside the SOAP answer'));
    return isHl7v3Message(inner) ? inner : undefined;
  }
  return undefined;
}

/** The message element, or the body payload unchanged when no message is found in it. */
export function hl7v3MessageIn(payload: Element): Element {
  return find(payload, 0) ?? payload;
}

/**
 * The string an operation wrapper holds when it holds no message (`<XResponse><XResult>调用失败…
 * </XResult></XResponse>`): usually the ESB's own error sentence, worth showing. Undefined when
 * the wrapper holds structure, which might be anything (including patient data).
 */
export function plainTextIn(payload: Element): string | undefined {
  let at = payload;
  for (let depth = 0; depth < MAX_WRAPPER_DEPTH; depth++) {
    const kids = elementChildren(at);
    if (kids.length === 0) break;
    if (kids.length > 1) return undefined;
    at = kids[0]!;
  }
  if (elementChildren(at).length > 0) return undefined;
  const text = ownText(at).replace(/\s+/g, ' ');
  return text ? text.slice(0, 200) : undefined;
}
