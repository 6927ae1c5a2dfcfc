import { describe, expect, it } from 'vitest';
import { extractOutline, type OutlineElement } from '../../../../../src/renderer/features/documents/section-outline.ts';

interface FakeElement extends OutlineElement {
  readonly children: FakeElement[];
  name?: string;
}

function el(tagName: string, children: FakeElement[] | string = [], name?: string): FakeElement {
  const kids = typeof children === 'string' ? [] : children;
  const text = typeof children === 'string' ? children : kids.map((k) => k.textContent ?? '').join('');
  return { tagName, children: kids, textContent: text, ...(name ? { name } : {}) };
}

describe('extractOutline', () => {
  it('lists sections with headings in document order, nested by depth', () => {
    const root = el('DIV', [
      el('ARTICLE', [
        el('H1', '出院小结'),
        el('SECTION', [el('H2', '入院诊断'), el('P', '肺炎')], 's1'),
        el('SECTION', [el('H2', ' 住院\n 经过 '), el('SECTION', [el('H3', '用药')], 's2a')], 's2'),
      ]),
    ]);
    const outline = extractOutline(root);
    expect(outline.map((o) => [o.title, o.depth, (o.section as FakeElement).name])).toEqual([
      ['入院诊断', 0, 's1'],
      ['住院 经过', 0, 's2'],
      ['用药', 1, 's2a'],
    ]);
    expect(outline[0]?.heading.tagName).toBe('H2');
  });

  it('skips sections without a heading but keeps their titled subsections at the same depth', () => {
    const root = el('div', [el('section', [el('p', 'text'), el('section', [el('h3', 'Inner')])]), el('section', [el('h2', '   ')])]);
    expect(extractOutline(root).map((o) => [o.title, o.depth])).toEqual([['Inner', 0]]);
  });

  it('takes only a direct heading child as the section title', () => {
    const root = el('div', [el('section', [el('div', [el('h2', 'deep')]), el('h4', 'Direct')])]);
    expect(extractOutline(root).map((o) => o.title)).toEqual(['Direct']);
  });

  it('returns nothing for a document without sections', () => {
    expect(extractOutline(el('div', [el('p', 'only text')]))).toEqual([]);
  });
});
