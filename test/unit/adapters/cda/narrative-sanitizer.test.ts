import { describe, expect, it } from 'vitest';
import { convertCdaDocument } from '../../../../src/adapters/cda/index.ts';
import { narrativeToHtml, safeHref } from '../../../../src/adapters/cda/narrative-html.ts';
import { parseXml, textOf } from '../../../../src/adapters/xml/index.ts';
import { DOMImplementation, type Element } from '@xmldom/xmldom';

function render(inner: string): string {
  const doc = parseXml(`<text xmlns="urn:hl7-org:v3" xmlns:h="http://www.w3.org/1999/xhtml">${inner}</text>`);
  return narrativeToHtml(doc.documentElement as Element);
}

describe('CDA narrative → safe HTML', () => {
  it('maps the narrative vocabulary to HTML', () => {
    const html = render(
      '<paragraph>出院诊断<content styleCode="Bold">肺炎</content><br/>H<sub>2</sub>O x<sup>2</sup></paragraph>' +
        '<list listType="ordered"><caption>用药</caption><item>二甲双胍</item></list>' +
        '<table border="1"><caption>检验</caption><thead><tr><th colspan="2">项目</th></tr></thead><tbody><tr><td rowspan="1">葡萄糖</td><td>6.1</td></tr></tbody></table>',
    );
    expect(html).toBe(
      '<p>出院诊断<span class="cda-bold">肺炎</span><br/>H<sub>2</sub>O x<sup>2</sup></p>' +
        '<p class="cda-caption">用药</p><ol><li>二甲双胍</li></ol>' +
        '<table class="cda-table"><caption>检验</caption><thead><tr><th colspan="2">项目</th></tr></thead><tbody><tr><td rowspan="1">葡萄糖</td><td>6.1</td></tr></tbody></table>',
    );
  });

  it('drops <script> with its content', () => {
    const html = render('<paragraph>ok<script>alert(1)</script></paragraph><script>steal()</script>');
    expect(html).toBe('<p>ok</p>');
  });

  it('drops event handlers (onerror, onclick) and the elements that carry them', () => {
    const html = render(
      '<paragraph onclick="alert(1)">a<h:img src="x" onerror="alert(1)"/></paragraph><content onmouseover="x()">b</content>',
    );
    expect(html).toBe('<p>a</p><span>b</span>');
    expect(html).not.toMatch(/on\w+=/i);
  });

  it('neutralises javascript: and data: links, keeping the link text', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' java\tscript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'vbscript:x',
      'file:///etc/passwd',
    ]) {
      const html = render(`<linkHtml href="${href}">click</linkHtml>`);
      expect(html).toBe('<span>click</span>');
    }
    expect(render('<linkHtml href="https://example.org/a?b=1">ok</linkHtml>')).toBe(
      '<a href="https://example.org/a?b=1" rel="noopener noreferrer nofollow">ok</a>',
    );
    expect(safeHref('https://user:pw@example.org/')).toBeUndefined();
    expect(safeHref('#ref1')).toBe('#cda-ref1');
  });

  it('never loads external images: renderMultiMedia and smuggled <img> are placeholders or nothing', () => {
    const html = render(
      '<renderMultiMedia referencedObject="MM1"/><h:img src="https://tracker.example/p.gif"/><img src="http://evil/x.png"/>',
    );
    expect(html).toBe('<span class="cda-media">[image not shown]</span>');
    expect(html).not.toContain('src=');
  });

  it('drops style attributes and <style> elements', () => {
    const html = render(
      '<paragraph style="background:url(javascript:x)">a</paragraph><style>body{display:none}</style><content styleCode="Italics xss">b</content>',
    );
    expect(html).toBe('<p>a</p><span class="cda-italic">b</span>');
  });

  it('drops iframes, objects and embeds with their content', () => {
    const html = render(
      '<iframe src="https://evil/">x</iframe><object data="x.swf">y</object><embed src="z"/><h:iframe src="a">b</h:iframe>',
    );
    expect(html).toBe('');
  });

  it('escapes text, so markup written as text stays text', () => {
    expect(render('<paragraph>&lt;script&gt;alert(1)&lt;/script&gt; &amp; "q"</paragraph>')).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;</p>',
    );
  });

  it('keeps only safe ids and bounded spans', () => {
    expect(render('<content ID="a1">x</content><content ID="&quot;onload=x">y</content>')).toBe('<span id="cda-a1">x</span><span>y</span>');
    expect(render('<table><tr><td colspan="9999">x</td></tr></table>')).toBe(
      '<table class="cda-table"><tbody><tr><td>x</td></tr></tbody></table>',
    );
  });

  it('sanitizes narrative inside a whole document (DocumentReference HTML and Composition)', () => {
    const xml = `<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1.2.3" extension="d1"/><code code="C0053" codeSystem="2.16.156.10011.2.4" displayName="出院小结"/><effectiveTime value="20240101"/>
      <recordTarget><patientRole><id root="1.2.3.4" extension="p1"/></patientRole></recordTarget>
      <component><structuredBody><component><section><title>x</title><text><paragraph>hi<script>alert(1)</script></paragraph><linkHtml href="javascript:alert(1)">l</linkHtml></text></section></component></structuredBody></component></ClinicalDocument>`;
    const c = convertCdaDocument(xml);
    expect(c.html).not.toMatch(/script|javascript/i);
    expect(c.composition.section?.[0]?.text?.div).toBe('<div xmlns="http://www.w3.org/1999/xhtml"><p>hi</p><span>l</span></div>');
    const htmlAttachment = c.documentReference.content.find((x) => x.attachment.contentType?.startsWith('text/html'));
    expect(Buffer.from(htmlAttachment?.attachment.data ?? '', 'base64').toString('utf8')).not.toMatch(/script/i);
  });

  it("renders a narrative nested 50,000 deep without recursion (a DOM built in memory, past the parser's nesting limit)", () => {
    const doc = new DOMImplementation().createDocument('urn:hl7-org:v3', 'text', null);
    const text = doc.documentElement!;
    let at: Element = text;
    for (let i = 0; i < 50_000; i++) at = at.appendChild(doc.createElementNS('urn:hl7-org:v3', i % 2 ? 'content' : 'font')) as Element;
    at.appendChild(doc.createTextNode('<深>'));
    const html = narrativeToHtml(text);
    expect(html.startsWith('<span><span>')).toBe(true);
    expect(html).toContain('&lt;深&gt;');
    expect(html.match(/<span>/g)).toHaveLength(25_000);
    expect(textOf(text)).toBe('<深>');
  });
});
