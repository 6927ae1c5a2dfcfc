/**
 * CDA narrative blocks (section/text) → safe XHTML by construction: the output is built element
 * by element from an allow-list mapping CDA's NarrativeBlock vocabulary to a handful of HTML
 * elements, with attributes re-derived (never copied) and all text escaped. Anything else in the
 * input — <script>, <iframe>, <object>, <img>, <style>, XHTML smuggled into the narrative, event
 * handlers, style attributes — has no mapping and so cannot reach the output. Links keep only
 * http(s) and in-document targets; multimedia (external or data: images) becomes a placeholder.
 */
import type { Element, Node } from '@xmldom/xmldom';
import { attr, isElement } from '../xml/index.ts';

const TEXT_NODE = 3;
const CDATA_NODE = 4;

/** Elements whose content is code or presentation, not clinical text: dropped with their text. */
const DROP_WITH_CONTENT = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'applet',
  'frame',
  'frameset',
  'noscript',
  'template',
  'svg',
  'math',
  'head',
  'title',
  'meta',
  'link',
  'base',
  'form',
]);

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

/**
 * What is left to write, kept on an explicit stack rather than the call stack: a narrative
 * nested thousands deep (refused by the XML layer anyway) can never overflow it.
 */
type Task = { html: string } | { node: Node } | { childrenOf: Node };

const html = (text: string): Task => ({ html: text });
const childrenOf = (node: Node): Task => ({ childrenOf: node });

/** An element's tasks: its opening tag, its content, its closing tag — or nothing, or only its content. */
function renderElement(el: Element): Task[] {
  const name = el.localName ?? '';
  const wrap = (open: string, close: string): Task[] => [html(open), childrenOf(el), html(close)];
  switch (name) {
    case 'paragraph':
      return wrap(`<p${idAttr(el)}${classAttr(el)}>`, '</p>');
    case 'content':
      return wrap(`<span${idAttr(el)}${classAttr(el)}>`, '</span>');
    case 'br':
      return [html('<br/>')];
    case 'sub':
    case 'sup':
      return wrap(`<${name}>`, `</${name}>`);
    case 'list': {
      const tag = attr(el, 'listType') === 'ordered' ? 'ol' : 'ul';
      const captions: Task[] = [];
      const items: Task[] = [];
      for (let n = el.firstChild; n; n = n.nextSibling) {
        if (isElement(n) && n.localName === 'caption') captions.push(html('<p class="cda-caption">'), childrenOf(n), html('</p>'));
        else if (isElement(n) && n.localName === 'item') items.push(html(`<li${idAttr(n)}${classAttr(n)}>`), childrenOf(n), html('</li>'));
        // Text between items has no place in a list; it is whitespace in every real document.
      }
      return [...captions, html(`<${tag}${idAttr(el)}${classAttr(el)}>`), ...items, html(`</${tag}>`)];
    }
    case 'item':
      return wrap(`<li${idAttr(el)}${classAttr(el)}>`, '</li>');
    case 'table':
      return [html(`<table${idAttr(el)}${classAttr(el, 'cda-table')}>`), ...tableParts(el), html('</table>')];
    case 'caption':
      // A caption outside a table or list (e.g. of a paragraph) reads as a heading line.
      return wrap('<span class="cda-caption">', '</span>');
    case 'linkHtml': {
      const href = safeHref(attr(el, 'href'));
      return href ? wrap(`<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">`, '</a>') : wrap('<span>', '</span>');
    }
    case 'footnote':
      return wrap(`<span class="cda-footnote"${idAttr(el)}>`, '</span>');
    case 'footnoteRef':
      return [];
    case 'renderMultiMedia':
      return [html('<span class="cda-media">[image not shown]</span>')];
    default:
      if (DROP_WITH_CONTENT.has(name.toLowerCase())) return [];
      // Unknown markup (vendor XHTML, <font>, <img>): its text survives, the element does not.
      return [childrenOf(el)];
  }
}

const TABLE_SECTIONS = new Set(['thead', 'tbody', 'tfoot']);

function row(tr: Element): Task[] {
  const tasks: Task[] = [html(`<tr${idAttr(tr)}${classAttr(tr)}>`)];
  for (let n = tr.firstChild; n; n = n.nextSibling) {
    if (isElement(n) && (n.localName === 'td' || n.localName === 'th')) {
      tasks.push(
        html(`<${n.localName}${idAttr(n)}${classAttr(n)}${spanAttr(n, 'colspan')}${spanAttr(n, 'rowspan')}>`),
        childrenOf(n),
        html(`</${n.localName}>`),
      );
    }
  }
  tasks.push(html('</tr>'));
  return tasks;
}

function tableParts(table: Element): Task[] {
  let caption: Task[] = [];
  const body: Task[] = [];
  const looseRows: Task[] = [];
  for (let n = table.firstChild; n; n = n.nextSibling) {
    if (!isElement(n)) continue;
    if (n.localName === 'caption') caption = [html('<caption>'), childrenOf(n), html('</caption>')];
    else if (n.localName === 'tr') looseRows.push(...row(n));
    else if (TABLE_SECTIONS.has(n.localName ?? '')) {
      body.push(html(`<${n.localName}>`));
      for (let r = n.firstChild; r; r = r.nextSibling) if (isElement(r) && r.localName === 'tr') body.push(...row(r));
      body.push(html(`</${n.localName}>`));
    }
  }
  return [...caption, ...body, ...(looseRows.length > 0 ? [html('<tbody>'), ...looseRows, html('</tbody>')] : [])];
}

function nodeTasks(node: Node): Task[] {
  if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_NODE) return [html(escapeHtml(node.nodeValue ?? ''))];
  if (isElement(node)) return renderElement(node);
  // Comments and processing instructions are not narrative.
  return [];
}

/** Inner XHTML of one narrative block (CDA section/text), without a wrapper. */
export function narrativeToHtml(text: Element | undefined): string {
  if (!text) return '';
  const out: string[] = [];
  const stack: Task[] = [childrenOf(text)];
  for (let task = stack.pop(); task; task = stack.pop()) {
    if ('html' in task) out.push(task.html);
    else if ('node' in task) {
      const tasks = nodeTasks(task.node);
      for (let i = tasks.length - 1; i >= 0; i--) stack.push(tasks[i]!);
    } else {
      for (let n = task.childrenOf.lastChild; n; n = n.previousSibling) stack.push({ node: n });
    }
  }
  return out.join('').trim();
}

/** As FHIR Narrative.div wants it: one XHTML div. */
export function narrativeDiv(innerHtml: string): string {
  return `<div xmlns="http://www.w3.org/1999/xhtml">${innerHtml}</div>`;
}
