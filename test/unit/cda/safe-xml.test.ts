import { describe, expect, it } from 'vitest';
import { CdaError, convertCdaToBundle } from '../../../src/adapters/cda/index.ts';
import { decodeXmlBytes, parseXml } from '../../../src/adapters/cda/xml/safe-xml.ts';

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
    const xml = '<?xml version="1.0"?><!DOCTYPE ClinicalDocument [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><ClinicalDocument xmlns="urn:hl7-org:v3"><title>&xxe;</title></ClinicalDocument>';
    const error = errorOf(() => convertCdaToBundle(xml));
    expect(error.kind).toBe('forbidden-dtd');
    expect(error.message).not.toContain('root:');
  });

  it('refuses billion laughs (nested entity expansion)', () => {
    const lol = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`)].join('');
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
    const gbk = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="GBK"?><r>'), Buffer.from([0xd5, 0xc5, 0xce, 0xb0]), Buffer.from('</r>')]);
    expect(decodeXmlBytes(gbk, 'doc')).toContain('<r>张伟</r>');
    expect(errorOf(() => decodeXmlBytes(Buffer.from('<?xml version="1.0" encoding="x-unknown-9"?><r/>'), 'doc')).kind).toBe('malformed-xml');
  });
});
