import { describe, expect, it } from 'vitest';
import { CdaError, convertCdaToBundle } from '../../../../src/adapters/cda/index.ts';
import { convertHl7v3ToBundle } from '../../../../src/adapters/hl7v3/index.ts';
import { decodeXmlBytes, findLimitBreach, MAX_XML_ATTRIBUTES, MAX_XML_DEPTH, parseXml } from '../../../../src/adapters/xml/index.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { slippedButValidGb18030 } from '../../../support/gb18030-slip.ts';

function errorOf(fn: () => unknown): CdaError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CdaError) return error;
    throw error;
  }
  throw new Error('expected a CdaError');
}

describe('safe XML parsing', () => {
  it('refuses XXE (external entity to file:///etc/passwd) before parsing', () => {
    const xml =
      '<?xml version="1.0"?><!DOCTYPE ClinicalDocument [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><ClinicalDocument xmlns="urn:hl7-org:v3"><title>&xxe;</title></ClinicalDocument>';
    const error = errorOf(() => convertCdaToBundle(xml));
    expect(error.kind).toBe('forbidden-dtd');
    expect(error.message).not.toContain('root:');
  });

  it('refuses billion laughs (nested entity expansion)', () => {
    const lol = [
      '<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
    ].join('');
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [${lol}]><lolz>&lol9;</lolz>`;
    const started = performance.now();
    expect(errorOf(() => parseXml(xml)).kind).toBe('forbidden-dtd');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a DOCTYPE even when hidden behind a BOM or in bytes', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<!doctype x SYSTEM "http://evil/x.dtd"><x/>')]);
    expect(errorOf(() => parseXml(bytes)).kind).toBe('forbidden-dtd');
  });

  it('fails on undeclared entities instead of passing them through', () => {
    expect(errorOf(() => parseXml('<r>&nbsp;</r>')).kind).toBe('malformed-xml');
  });

  it('reports malformed XML with a position, not the content', () => {
    const error = errorOf(() => parseXml('<ClinicalDocument><title>张伟</ClinicalDocument>'));
    expect(error.kind).toBe('malformed-xml');
    expect(error.message).toMatch(/not well-formed/);
  });

  it('rejects non-text input', () => {
    expect(errorOf(() => parseXml(new Uint8Array([0xff, 0xfe, 0x00, 0xd8]))).kind).toBe('malformed-xml');
    expect(errorOf(() => parseXml(Buffer.from([0x3c, 0x72, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x72, 0x3e]))).kind).toBe('malformed-xml');
  });

  it('decodes GB18030/GBK documents by their declaration', () => {
    const gbk = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="GBK"?><r>'),
      Buffer.from([0xd5, 0xc5, 0xce, 0xb0]),
      Buffer.from('</r>'),
    ]);
    expect(decodeXmlBytes(gbk, 'doc')).toContain('<r>张伟</r>');
    expect(errorOf(() => decodeXmlBytes(Buffer.from('<?xml version="1.0" encoding="x-unknown-9"?><r/>'), 'doc')).kind).toBe(
      'malformed-xml',
    );
  });

  it('reads GBK bytes saved without an encoding declaration, or under a copied UTF-8 one, as GB18030', () => {
    const body = (decl: string) => Buffer.concat([Buffer.from(`${decl}<r>`), Buffer.from([0xd5, 0xc5, 0xce, 0xb0]), Buffer.from('</r>')]);
    expect(decodeXmlBytes(body(''), 'doc')).toBe('<r>张伟</r>');
    expect(decodeXmlBytes(body('<?xml version="1.0"?>'), 'doc')).toContain('<r>张伟</r>');
    expect(decodeXmlBytes(body('<?xml version="1.0" encoding="UTF-8"?>'), 'doc')).toContain('<r>张伟</r>');
    // UTF-8 Chinese with one corrupt byte is valid GB18030 as mojibake: refused, not re-read.
    const slipped = slippedButValidGb18030('<?xml version="1.0" encoding="UTF-8"?><r>患者张伟主诉反复咳嗽咳痰</r>');
    expect(errorOf(() => decodeXmlBytes(slipped, 'doc')).kind).toBe('malformed-xml');
    // Neither UTF-8 nor GB18030: still refused, never guessed further.
    expect(errorOf(() => decodeXmlBytes(Buffer.from([0x3c, 0x72, 0x3e, 0x81, 0x20, 0x3c, 0x2f, 0x72, 0x3e]), 'doc')).kind).toBe(
      'malformed-xml',
    );
  });
});

describe('element nesting limit', () => {
  const fixture = (...parts: string[]) => readFileSync(join(import.meta.dirname, '..', '..', '..', 'fixtures', ...parts), 'utf8');
  const nest = (depth: number, open = '<content>', close = '</content>') => ({ open: open.repeat(depth), close: close.repeat(depth) });

  it(`refuses a CDA narrative nested 10,000 deep with a typed 'limit' error, quickly, instead of overflowing the stack`, () => {
    const { open, close } = nest(10_000);
    const deep = fixture('cda', 'ccda-ccd.xml').replace('<text>', `<text>${open}`).replace('</text>', `${close}</text>`);
    const started = performance.now();
    const error = errorOf(() => convertCdaToBundle(deep));
    expect(error.kind).toBe('limit');
    expect(error.message).toMatch(new RegExp(`more than ${MAX_XML_DEPTH} deep \\(line \\d+\\)`));
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses nested sections and nested namespace scopes the same way', () => {
    const sections = nest(5_000, '<component><section>', '</section></component>');
    const doc = fixture('cda', 'ccda-ccd.xml')
      .replace('<structuredBody>', `<structuredBody>${sections.open}`)
      .replace('</structuredBody>', `${sections.close}</structuredBody>`);
    expect(errorOf(() => convertCdaToBundle(doc)).kind).toBe('limit');
    const scopes = Array.from({ length: 10_000 }, (_, i) => `<x xmlns:p${i}="urn:p${i}">`).join('');
    const started = performance.now();
    expect(errorOf(() => parseXml(`<r>${scopes}${'</x>'.repeat(10_000)}</r>`)).kind).toBe('limit');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses an HL7 v3 message nested 10,000 deep with the same typed error', () => {
    const { open, close } = nest(10_000, '<x>', '</x>');
    const deep = fixture('hl7v3', 'ehealthsuisse-iti47-response.xml').replace(/(<ns1:controlActProcess[^>]*>)/, `$1${open}${close}`);
    expect(errorOf(() => convertHl7v3ToBundle(deep)).kind).toBe('limit');
  });

  it(`reads a document exactly ${MAX_XML_DEPTH} deep, and counts only elements (not comments, CDATA, quoted ">" or empty tags)`, () => {
    const fits = nest(MAX_XML_DEPTH - 2, '<a>', '</a>');
    expect(parseXml(`<r>${fits.open}<a/>${fits.close}</r>`).documentElement?.localName).toBe('r');
    const over = nest(MAX_XML_DEPTH, '<a>', '</a>');
    expect(findLimitBreach(`<r>${over.open}${over.close}</r>`)).toEqual({ limit: 'depth', offset: 3 + (MAX_XML_DEPTH - 1) * 3 });
    expect(findLimitBreach(`<r><!-- <a><a><a> --><![CDATA[<a><a>]]><?pi <a>?><a t="x>y" u='>'/><b/></r>`, 1)).toBeUndefined();
    expect(findLimitBreach(`<r><a t="x>y"><b></b></a></r>`, 2)).toEqual({ limit: 'depth', offset: 14 });
  });

  it(`refuses an element with more than ${MAX_XML_ATTRIBUTES} attributes (an attribute or namespace flood) before parsing, and counts "=" inside values as text`, () => {
    const flood = (n: number, one: (i: number) => string) => Array.from({ length: n }, (_, i) => one(i)).join('');
    const doc = fixture('cda', 'ccda-ccd.xml');
    for (const one of [(i: number) => ` a${i}="${i}"`, (i: number) => ` xmlns:n${i}="urn:n${i}"`]) {
      const flooded = doc.replace('<title>', `<title${flood(80_000, one)}>`);
      const started = performance.now();
      const error = errorOf(() => convertCdaToBundle(flooded));
      expect(error.kind).toBe('limit');
      expect(error.message).toMatch(new RegExp(`more than ${MAX_XML_ATTRIBUTES} attributes \\(line \\d+\\)`));
      expect(performance.now() - started).toBeLessThan(500);
    }
    expect(parseXml(`<r${flood(MAX_XML_ATTRIBUTES, (i) => ` a${i}="x=y=z"`)}/>`).documentElement?.attributes.length).toBe(
      MAX_XML_ATTRIBUTES,
    );
    expect(findLimitBreach(`<r><a${flood(MAX_XML_ATTRIBUTES + 1, (i) => ` a${i}='1'`)}/></r>`)).toEqual({ limit: 'attributes', offset: 3 });
  });
});
