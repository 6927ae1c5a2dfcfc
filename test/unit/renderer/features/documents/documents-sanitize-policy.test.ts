import { describe, expect, it } from 'vitest';
import {
  ALLOWED_ATTR,
  ALLOWED_TAGS,
  ALLOWED_URI_REGEXP,
  PURIFY_CONFIG,
  classifyHref,
  filterClasses,
  isSafeId,
  judgeAttribute,
  preStripInlineCode,
} from '../../../../../src/renderer/features/documents/sanitize-policy.ts';

// DOMPurify itself needs a DOM (none in the unit project); the e2e spec runs it on hostile HTML.
describe('the reader’s DOMPurify configuration', () => {
  it('allows none of the elements that run code, load content or restyle the app', () => {
    for (const tag of [
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
    ]) {
      expect(ALLOWED_TAGS).not.toContain(tag);
      expect(PURIFY_CONFIG.FORBID_TAGS).toContain(tag);
    }
  });

  it('allows no style, event-handler, data or aria attribute', () => {
    expect(ALLOWED_ATTR).not.toContain('style');
    expect(ALLOWED_ATTR.some((a) => a.startsWith('on'))).toBe(false);
    expect(PURIFY_CONFIG.FORBID_ATTR).toContain('style');
    expect(PURIFY_CONFIG.FORBID_ATTR).toContain('target');
    expect(PURIFY_CONFIG.ALLOW_DATA_ATTR).toBe(false);
    expect(PURIFY_CONFIG.ALLOW_ARIA_ATTR).toBe(false);
    expect(PURIFY_CONFIG.ALLOW_UNKNOWN_PROTOCOLS).toBe(false);
    expect(PURIFY_CONFIG.SANITIZE_DOM).toBe(true);
  });

  it('covers every element main’s narrative renderer emits', () => {
    for (const tag of [
      'article',
      'section',
      'h1',
      'h2',
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
    ]) {
      expect(ALLOWED_TAGS).toContain(tag);
    }
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>',
    'vbscript:x',
    'file:///etc/passwd',
    '//evil.example/x',
    'relative/path',
    ' javascript:x',
  ])('rejects the URI %j', (uri) => {
    expect(ALLOWED_URI_REGEXP.test(uri)).toBe(false);
  });

  it.each(['https://example.org/a', 'http://example.org', '#cda-x'])('accepts the URI %j', (uri) => {
    expect(ALLOWED_URI_REGEXP.test(uri)).toBe(true);
  });
});

describe('attribute rules applied in the hook', () => {
  it('keeps only the stylesheet’s CDA classes', () => {
    expect(filterClasses('cda-bold app__header  cda-italic evil')).toBe('cda-bold cda-italic');
    expect(judgeAttribute('class', 'ptabs__panel')).toEqual({ keep: false });
    expect(judgeAttribute('class', 'cda-section')).toEqual({ keep: true, value: 'cda-section' });
  });

  it('keeps only main’s prefixed ids, so app ids and globals cannot be shadowed', () => {
    expect(isSafeId('cda-row1')).toBe(true);
    for (const id of ['ptab-timeline', 'root', 'cda-', 'cda-1x"', 'cda-a b', `cda-${'x'.repeat(70)}`]) expect(isSafeId(id)).toBe(false);
    expect(judgeAttribute('id', 'location')).toEqual({ keep: false });
  });

  it('classifies links: in-document fragments and credential-free http(s) only', () => {
    expect(classifyHref('#cda-foot')).toEqual({ kind: 'fragment', id: 'cda-foot' });
    expect(classifyHref('  HTTPS://Example.org/a b')).toEqual({ kind: 'external', href: 'https://example.org/a%20b' });
    for (const href of [
      'javascript:alert(1)',
      'java\tscript:alert(1)',
      '#top',
      '#',
      'https://user:pw@example.org/',
      'ftp://example.org',
      'data:,x',
      '/app/path',
      '',
    ]) {
      expect(classifyHref(href)).toBeUndefined();
    }
    expect(judgeAttribute('href', 'javascript:alert(1)')).toEqual({ keep: false });
    expect(judgeAttribute('href', 'http://example.org')).toEqual({ keep: true, value: 'http://example.org/' });
  });

  it('drops the input’s own rel and any attribute outside the list', () => {
    expect(judgeAttribute('rel', 'opener')).toEqual({ keep: false });
    for (const name of ['style', 'onerror', 'onclick', 'srcdoc', 'formaction', 'data-x', 'target'])
      expect(judgeAttribute(name, 'x').keep).toBe(false);
  });

  it('keeps small positive table spans only', () => {
    expect(judgeAttribute('colspan', '2').keep).toBe(true);
    expect(judgeAttribute('rowspan', '0').keep).toBe(false);
    expect(judgeAttribute('colspan', '1000').keep).toBe(false);
  });
});

describe('preStripInlineCode', () => {
  it('removes style and on* attributes from start tags and <style> elements', () => {
    const html =
      '<p style="color:red" class="cda-bold" onclick=\'x()\'>a</p><img src=x onerror=y()><style>body{display:none}</style><b>b</b>';
    expect(preStripInlineCode(html)).toBe('<p class="cda-bold">a</p><img src=x><b>b</b>');
  });

  it('never touches text between tags', () => {
    const html = '<p>patient wrote style="calm" and onset="3 days"; a > b</p>';
    expect(preStripInlineCode(html)).toBe(html);
  });
});
