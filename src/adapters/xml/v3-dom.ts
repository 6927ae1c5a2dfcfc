/**
 * Navigation over an HL7 v3 / CDA DOM by local name. Vendors put the urn:hl7-org:v3 namespace
 * on a prefix, on the default namespace, or forget it: elements in that namespace or in none
 * are read alike; elements of other namespaces (sdtc:, xhtml) are only seen when asked for.
 */
import type { Element, Node } from '@xmldom/xmldom';
import { CdaError } from './cda-error.ts';

export const HL7_V3_NS = 'urn:hl7-org:v3';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_NODE = 4;

export function isElement(node: Node | null | undefined): node is Element {
  return node?.nodeType === ELEMENT_NODE;
}

function isV3(el: Element): boolean {
  return el.namespaceURI === HL7_V3_NS || el.namespaceURI === null || el.namespaceURI === '';
}

/** Child elements, optionally those with one local name, in document order. */
export function children(el: Element, name?: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (isElement(n) && isV3(n) && (name === undefined || n.localName === name)) out.push(n);
  }
  return out;
}

export function child(el: Element | undefined, name: string): Element | undefined {
  if (!el) return undefined;
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (isElement(n) && isV3(n) && n.localName === name) return n;
  }
  return undefined;
}

/** Follows a chain of child names ("patientRole", "patient", "name"); undefined when a link is missing. */
export function descend(el: Element | undefined, ...names: string[]): Element | undefined {
  let at = el;
  for (const name of names) at = child(at, name);
  return at;
}

/** All elements along a chain, fanning out at each step (all entries → all observations). */
export function descendAll(el: Element, ...names: string[]): Element[] {
  let level = [el];
  for (const name of names) level = level.flatMap((e) => children(e, name));
  return level;
}

/** Attribute value, trimmed; an empty attribute reads as absent. */
export function attr(el: Element | undefined, name: string): string | undefined {
  const v = el?.getAttribute(name)?.trim();
  return v ? v : undefined;
}

/** xsi:type without its prefix ("hl7:PQ" → "PQ"). */
export function xsiType(el: Element): string | undefined {
  const raw = el.getAttributeNS(XSI_NS, 'type') ?? el.getAttribute('xsi:type');
  const v = raw?.trim();
  if (!v) return undefined;
  const colon = v.indexOf(':');
  return colon >= 0 ? v.slice(colon + 1) : v;
}

/** All descendant text, whitespace collapsed. */
export function textOf(el: Element | undefined): string | undefined {
  if (!el) return undefined;
  const parts: string[] = [];
  // Document order without recursion: down to the first child, else along to the next sibling,
  // else back up until an ancestor (below el) has one.
  let n: Node | null = el.firstChild;
  while (n) {
    if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_NODE) parts.push(n.nodeValue ?? '');
    if (isElement(n) && n.firstChild) {
      n = n.firstChild;
      continue;
    }
    while (n && n !== el && !n.nextSibling) n = n.parentNode;
    n = n && n !== el ? n.nextSibling : null;
  }
  const text = parts.join('').replace(/\s+/g, ' ').trim();
  return text ? text : undefined;
}

/**
 * Position of each child among same-named siblings, computed once per parent: paths are taken
 * for every converted entry, and a results section can hold thousands of sibling <entry>s.
 */
const siblingIndex = new WeakMap<Node, Map<Node, { index: number; count: number }>>();

function positionAmongSiblings(el: Element, parent: Node): { index: number; count: number } {
  let table = siblingIndex.get(parent);
  if (!table) {
    table = new Map();
    const counts = new Map<string, number>();
    const order: [Element, string, number][] = [];
    for (let s = parent.firstChild; s; s = s.nextSibling) {
      if (!isElement(s)) continue;
      const name = s.localName ?? s.nodeName;
      const n = (counts.get(name) ?? 0) + 1;
      counts.set(name, n);
      order.push([s, name, n]);
    }
    for (const [s, name, n] of order) table.set(s, { index: n, count: counts.get(name) ?? 1 });
    siblingIndex.set(parent, table);
  }
  return table.get(el) ?? { index: 1, count: 1 };
}

/** "/ClinicalDocument/component/structuredBody/component[3]/section" — 1-based like XPath. */
export function pathOf(node: Element, attribute?: string): string {
  const steps: string[] = [];
  let at: Element | null = node;
  while (at) {
    const name = at.localName ?? at.nodeName;
    const parent: Node | null = at.parentNode;
    const { index, count } = isElement(parent) ? positionAmongSiblings(at, parent) : { index: 1, count: 1 };
    steps.unshift(count > 1 ? `${name}[${index}]` : name);
    at = isElement(parent) ? parent : null;
  }
  return `/${steps.join('/')}${attribute ? `/@${attribute}` : ''}`;
}

/** A required child: its absence is a structural error naming where it was expected. */
export function requireChild(el: Element, name: string): Element {
  const found = child(el, name);
  if (!found) throw new CdaError('structure', pathOf(el), `required element <${name}> is missing`);
  return found;
}

export function requireRoot(el: Element, expected: readonly string[], what: string): void {
  if (!expected.includes(el.localName ?? '')) {
    throw new CdaError(
      'structure',
      pathOf(el),
      `expected ${what} (${expected.join(' or ')}) but the root element is <${el.localName ?? el.nodeName}>`,
    );
  }
}
