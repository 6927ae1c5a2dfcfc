/**
 * CDA narrative blocks (section/text) → safe XHTML by construction: the output is built element
 * by element from an allow-list mapping CDA's NarrativeBlock vocabulary to a handful of HTML
 * elements, with attributes re-derived (never copied) and all text escaped. Anything else in the
 * input — <script>, <iframe>, <object>, <img>, <style>, XHTML smuggled into the narrative, event
 * handlers, style attributes — has no mapping and so cannot reach the output. Links keep only
 * http(s) and in-document targets; multimedia (external or data: images) becomes a placeholder.
 */
import type { Element, Node } from '@xmldom/xmldom';
import { attr, isElement } from './xml/v3-dom.ts';

const TEXT_NODE = 3;
const CDATA_NODE = 4;

/** Elements whose content is code or presentation, not clinical text: dropped with their text. */
const DROP_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'applet', 'frame', 'frameset', 'noscript', 'template', 'svg', 'math', 'head', 'title', 'meta', 'link', 'base', 'form']);

/** CDA styleCode tokens → CSS classes the renderer's own stylesheet defines. */
const STYLE_CLASSES: Readonly<Record<string, string>> = {
  Bold: 'cda-bold',
  Italics: 'cda-italic',
  Underline: 'cda-underline',
  Emphasis: 'cda-emphasis',
  Lrule: 'cda-lrule',
  Rrule: 'cda-rrule',
  Toprule: 'cda-toprule',
  Botrule: 'cda-botrule',
};

const SAFE_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

function classAttr(el: Element, extra?: string): string {
  const classes = (attr(el, 'styleCode') ?? '')
    .split(/\s+/)
    .map((token) => STYLE_CLASSES[token])
    .filter((c): c is string => !!c);
  if (extra) classes.unshift(extra);
  return classes.length > 0 ? ` class="${classes.join(' ')}"` : '';
}

function idAttr(el: Element): string {
  const id = attr(el, 'ID');
  return id && SAFE_ID.test(id) ? ` id="cda-${id}"` : '';
}

function spanAttr(el: Element, name: 'colspan' | 'rowspan'): string {
  const v = attr(el, name);
  return v && /^[1-9]\d?$/.test(v) ? ` ${name}="${v}"` : '';
}

/**
 * Only absolute http(s) URLs (without credentials) and references to an element of the same
 * narrative survive. URL parsing normalises "JaVaScRiPt:", tabs and entity tricks before the check.
 */
export function safeHref(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const trimmed = raw.trim();
  if (trimmed.startsWith('#')) {
    const id = trimmed.slice(1);
    return SAFE_ID.test(id) ? `#cda-${id}` : undefined;
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  return url.toString();
}

type Render = (node: Node) => string;

function renderChildren(el: Element, render: Render): string {
  let out = '';
  for (let n = el.firstChild; n; n = n.nextSibling) out += render(n);
  return out;
}

function renderElement(el: Element, render: Render): string {
  const name = el.localName ?? '';
  const inner = (): string => renderChildren(el, render);
  switch (name) {
    case 'paragraph':
      return `<p${idAttr(el)}${classAttr(el)}>${inner()}</p>`;
    case 'content':
      return `<span${idAttr(el)}${classAttr(el)}>${inner()}</span>`;
    case 'br':
      return '<br/>';
    case 'sub':
    case 'sup':
      return `<${name}>${inner()}</${name}>`;
    case 'list': {
      const tag = attr(el, 'listType') === 'ordered' ? 'ol' : 'ul';
      let caption = '';
      let items = '';
      for (let n = el.firstChild; n; n = n.nextSibling) {
        if (isElement(n) && n.localName === 'caption') caption += `<p class="cda-caption">${renderChildren(n, render)}</p>`;
        else if (isElement(n) && n.localName === 'item') items += `<li${idAttr(n)}${classAttr(n)}>${renderChildren(n, render)}</li>`;
        // Text between items has no place in a list; it is whitespace in every real document.
      }
      return `${caption}<${tag}${idAttr(el)}${classAttr(el)}>${items}</${tag}>`;
    }
    case 'item':
      return `<li${idAttr(el)}${classAttr(el)}>${inner()}</li>`;
    case 'table':
      return `<table${idAttr(el)}${classAttr(el, 'cda-table')}>${renderTableParts(el, render)}</table>`;
    case 'caption':
      // A caption outside a table or list (e.g. of a paragraph) reads as a heading line.
      return `<span class="cda-caption">${inner()}</span>`;
    case 'linkHtml': {
      const href = safeHref(attr(el, 'href'));
      return href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">${inner()}</a>` : `<span>${inner()}</span>`;
    }
    case 'footnote':
      return `<span class="cda-footnote"${idAttr(el)}>${inner()}</span>`;
    case 'footnoteRef':
      return '';
    case 'renderMultiMedia':
      return '<span class="cda-media">[image not shown]</span>';
    default:
      if (DROP_WITH_CONTENT.has(name.toLowerCase())) return '';
      // Unknown markup (vendor XHTML, <font>, <img>): its text survives, the element does not.
      return inner();
  }
}

const TABLE_SECTIONS = new Set(['thead', 'tbody', 'tfoot']);

function renderRow(tr: Element, render: Render): string {
  let cells = '';
  for (let n = tr.firstChild; n; n = n.nextSibling) {
    if (isElement(n) && (n.localName === 'td' || n.localName === 'th')) {
      cells += `<${n.localName}${idAttr(n)}${classAttr(n)}${spanAttr(n, 'colspan')}${spanAttr(n, 'rowspan')}>${renderChildren(n, render)}</${n.localName}>`;
    }
  }
  return `<tr${idAttr(tr)}${classAttr(tr)}>${cells}</tr>`;
}

function renderTableParts(table: Element, render: Render): string {
  let caption = '';
  let body = '';
  let looseRows = '';
  for (let n = table.firstChild; n; n = n.nextSibling) {
    if (!isElement(n)) continue;
    if (n.localName === 'caption') caption = `<caption>${renderChildren(n, render)}</caption>`;
    else if (n.localName === 'tr') looseRows += renderRow(n, render);
    else if (TABLE_SECTIONS.has(n.localName ?? '')) {
      let rows = '';
      for (let r = n.firstChild; r; r = r.nextSibling) if (isElement(r) && r.localName === 'tr') rows += renderRow(r, render);
      body += `<${n.localName}>${rows}</${n.localName}>`;
    }
  }
  return caption + body + (looseRows ? `<tbody>${looseRows}</tbody>` : '');
}

/** Inner XHTML of one narrative block (CDA section/text), without a wrapper. */
export function narrativeToHtml(text: Element | undefined): string {
  if (!text) return '';
  const render: Render = (node) => {
    if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_NODE) return escapeHtml(node.nodeValue ?? '');
    if (isElement(node)) return renderElement(node, render);
    // Comments and processing instructions are not narrative.
    return '';
  };
  return renderChildren(text, render).trim();
}

/** As FHIR Narrative.div wants it: one XHTML div. */
export function narrativeDiv(innerHtml: string): string {
  return `<div xmlns="http://www.w3.org/1999/xhtml">${innerHtml}</div>`;
}
