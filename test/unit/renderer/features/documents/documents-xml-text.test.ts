import { describe, expect, it } from 'vitest';
import { indentXml } from '../../../../../src/renderer/features/documents/xml-text.ts';

describe('indentXml', () => {
  it('puts element-only content one child per line, indented', () => {
    expect(indentXml('<?xml version="1.0"?><a><b x="1"/><c>text</c></a>')).toBe(
      ['<?xml version="1.0"?>', '<a>', '  <b x="1"/>', '  <c>text</c>', '</a>'].join('\n'),
    );
  });

  it('keeps mixed content (narrative) on one line exactly as sent', () => {
    const para = '<paragraph>注意休息，<content styleCode="Bold">如再发热请及时就诊</content>。</paragraph>';
    expect(indentXml(`<text>${para}</text>`)).toBe(['<text>', `  ${para}`, '</text>'].join('\n'));
  });

  it('replaces only whitespace between tags', () => {
    expect(indentXml('<a>\n   <b/>\n</a>')).toBe('<a>\n  <b/>\n</a>');
  });

  it('shows malformed input rather than failing', () => {
    expect(indentXml('<a><b>unclosed')).toBe('<a>\n  <b>unclosed');
    expect(indentXml('</stray>text < 5')).toBe('</stray>\ntext < 5');
    expect(indentXml('')).toBe('');
  });

  it('keeps comments and CDATA', () => {
    expect(indentXml('<a><!-- note --><b><![CDATA[<x>]]></b></a>')).toBe('<a>\n  <!-- note -->\n  <b><![CDATA[<x>]]></b>\n</a>');
  });
});
