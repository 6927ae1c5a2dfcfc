/**
 * The renderer's second line of defence for document HTML: main already built it from an
 * allow-list (src/adapters/cda/narrative-html.ts), and documents from FHIR servers may carry HTML
 * nobody sanitized. The DOMPurify configuration mirrors main's allow-list; the attribute rules
 * DOMPurify cannot express (which classes, which ids, which links) are pure functions here so
 * they can be tested without a DOM.
 */
import type { Config } from 'dompurify';

/** What main's narrative renderer emits, plus the div a FHIR Narrative wraps it in. */
export const ALLOWED_TAGS: readonly string[] = [
  'article',
  'section',
  'div',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'p',
  'span',
  'br',
  'sub',
  'sup',
  'ul',
  'ol',
  'li',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'a',
];

/** `target` is not here: the hook sets it after sanitizing, never copied from the input. */
export const ALLOWED_ATTR: readonly string[] = ['class', 'id', 'colspan', 'rowspan', 'href', 'rel'];

/** Named explicitly too, so a later edit to the allow-lists cannot let them in by accident. */
export const FORBID_TAGS: readonly string[] = [
  'script',
  'style',
  'iframe',
  'frame',
  'object',
  'embed',
  'img',
  'svg',
  'math',
  'link',
  'meta',
  'base',
  'form',
  'input',
  'template',
];
export const FORBID_ATTR: readonly string[] = ['style', 'srcset', 'src', 'action', 'formaction', 'xlink:href', 'target'];

/** The classes the renderer's stylesheet defines for CDA narrative; any other class is dropped. */
export const CDA_CLASSES: ReadonlySet<string> = new Set([
  'cda-document',
  'cda-section',
  'cda-table',
  'cda-caption',
  'cda-bold',
  'cda-italic',
  'cda-underline',
  'cda-emphasis',
  'cda-media',
  'cda-footnote',
  'cda-lrule',
  'cda-rrule',
  'cda-toprule',
  'cda-botrule',
]);

/** Absolute http(s) or an in-document fragment; DOMPurify tests hrefs against this. */
export const ALLOWED_URI_REGEXP = /^(?:https?:\/\/|#)/i;

export const PURIFY_CONFIG = {
  ALLOWED_TAGS: [...ALLOWED_TAGS],
  ALLOWED_ATTR: [...ALLOWED_ATTR],
  FORBID_TAGS: [...FORBID_TAGS],
  FORBID_ATTR: [...FORBID_ATTR],
  ALLOWED_URI_REGEXP,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOW_SELF_CLOSE_IN_ATTR: false,
  SAFE_FOR_TEMPLATES: false,
  WHOLE_DOCUMENT: false,
  // Clobbering protection stays on: ids must not shadow document or form properties.
  SANITIZE_DOM: true,
  KEEP_CONTENT: true,
  RETURN_DOM_FRAGMENT: true,
} as const satisfies Config;

/** Keeps only the stylesheet's CDA classes: a hostile class must not borrow the app's own styles. */
export function filterClasses(value: string): string {
  return value
    .split(/\s+/)
    .filter((c) => CDA_CLASSES.has(c))
    .join(' ');
}

const SAFE_ID = /^cda-[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/** Only main's prefixed ids: they cannot collide with the app's ids or shadow globals. */
export function isSafeId(value: string): boolean {
  return SAFE_ID.test(value);
}

export type LinkTarget = { kind: 'fragment'; id: string } | { kind: 'external'; href: string };

/**
 * An href the reader keeps: "#cda-…" (scrolls inside the document) or an absolute http(s) URL
 * without credentials (opens outside the app). URL parsing normalises case and stray whitespace.
 */
export function classifyHref(raw: string): LinkTarget | undefined {
  const trimmed = raw.trim();
  if (trimmed.startsWith('#')) {
    const id = trimmed.slice(1);
    return isSafeId(id) ? { kind: 'fragment', id } : undefined;
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  return { kind: 'external', href: url.toString() };
}

export interface AttributeVerdict {
  keep: boolean;
  /** The value to keep, when it changes (classes filtered, URL normalised). */
  value?: string;
}

/** The per-attribute rules DOMPurify's hook applies after its own checks. */
export function judgeAttribute(name: string, value: string): AttributeVerdict {
  switch (name) {
    case 'class': {
      const classes = filterClasses(value);
      return classes ? { keep: true, value: classes } : { keep: false };
    }
    case 'id':
      return { keep: isSafeId(value) };
    case 'href': {
      const target = classifyHref(value);
      if (!target) return { keep: false };
      return { keep: true, value: target.kind === 'fragment' ? `#${target.id}` : target.href };
    }
    case 'colspan':
    case 'rowspan':
      return { keep: /^[1-9]\d?$/.test(value) };
    case 'rel':
      // Set again for external links after sanitizing; the input's own rel means nothing.
      return { keep: false };
    default:
      return { keep: ALLOWED_ATTR.includes(name) };
  }
}

const START_TAG = /<[A-Za-z][^<>]*>/g;
const INLINE_ATTRIBUTE = /\s(?:style|on[A-Za-z]+)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+)/gi;
const STYLE_ELEMENT = /<style\b[^>]*>[\s\S]*?<\/style\s*>/gi;

/**
 * Not a sanitizer (DOMPurify is): Chromium reports a CSP violation as soon as any parser — even
 * DOMPurify's inert document — meets a style or on* attribute or a <style> element, which the
 * policy would drop anyway. Removing them from start tags first keeps the console meaningful.
 * Text between tags is never touched; anything this misses is still removed by DOMPurify.
 */
export function preStripInlineCode(html: string): string {
  return html.replace(STYLE_ELEMENT, '').replace(START_TAG, (tag) => tag.replace(INLINE_ATTRIBUTE, ''));
}
