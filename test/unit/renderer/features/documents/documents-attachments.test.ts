import { describe, expect, it } from 'vitest';
import { attachmentsOf, decodeBase64Text, selectContent } from '../../../../../src/renderer/features/documents/attachments.ts';
import type { TimelineEntry } from '../../../../../src/shared/domain/timeline.ts';

function bytesB64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}
const b64 = (text: string) => bytesB64(new TextEncoder().encode(text));
const ascii = (text: string) => [...new TextEncoder().encode(text)];

describe('selectContent', () => {
  it('picks the CDA adapter’s HTML and original XML', () => {
    const content = selectContent([
      { contentType: 'application/hl7-v3+xml', data: b64('<ClinicalDocument/>'), title: '出院小结' },
      { contentType: 'text/html; charset=utf-8', data: b64('<article class="cda-document"><h1>出院小结</h1></article>') },
    ]);
    expect(content.html).toBe('<article class="cda-document"><h1>出院小结</h1></article>');
    expect(content.xml).toBe('<ClinicalDocument/>');
    expect(content.text).toBeUndefined();
    expect(content.others).toEqual([]);
  });

  it('falls back to plain text and names what it cannot show', () => {
    const content = selectContent([
      { contentType: 'TEXT/PLAIN', data: b64('体温 38.9℃\n  咳嗽') },
      { contentType: 'application/pdf', data: 'JVBERi0=', title: 'scan.pdf' },
      { contentType: 'text/html', url: 'https://example.org/note.html' },
    ]);
    expect(content.html).toBeUndefined();
    expect(content.text).toBe('体温 38.9℃\n  咳嗽');
    expect(content.files).toEqual([
      { kind: 'pdf', contentType: 'application/pdf', title: 'scan.pdf', data: 'JVBERi0=', size: 5, inline: false },
    ]);
    expect(content.others).toEqual([{ contentType: 'text/html', url: 'https://example.org/note.html' }]);
  });

  it('keeps result attachments with their bytes: raster images inline, PDF, SVG and TIFF download only, bad base64 counted', () => {
    const png = bytesB64(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    const content = selectContent([
      { contentType: 'image/png', data: png, title: '血涂片' },
      { contentType: 'image/svg+xml', data: b64('<svg onload="alert(1)"/>') },
      { contentType: 'image/tiff', data: png },
      { contentType: 'application/pdf', data: '%PDF not base64' },
    ]);
    expect(content.files.map((f) => [f.kind, f.contentType, f.inline])).toEqual([
      ['image', 'image/png', true],
      ['image', 'image/svg+xml', false],
      ['image', 'image/tiff', false],
    ]);
    expect(content.files[0]).toMatchObject({ title: '血涂片', size: 4 });
    expect(content.unreadable).toBe(1);
  });

  it('keeps the first of each kind and counts undecodable data', () => {
    const content = selectContent([
      { contentType: 'text/html', data: '!!not base64!!' },
      { contentType: 'text/html', data: b64('<p>second</p>') },
      { contentType: 'text/html', data: b64('<p>third</p>') },
    ]);
    expect(content.unreadable).toBe(1);
    expect(content.html).toBe('<p>second</p>');
  });

  it('treats a missing content type as an unknown attachment', () => {
    expect(selectContent([{ data: b64('x') }]).files).toEqual([
      { kind: 'other', contentType: 'application/octet-stream', data: b64('x'), size: 1, inline: false },
    ]);
    expect(selectContent([{ url: 'https://example.org/x' }]).others).toEqual([
      { contentType: 'application/octet-stream', url: 'https://example.org/x' },
    ]);
  });
});

describe('decodeBase64Text', () => {
  it('honours a charset and an XML prolog’s encoding', () => {
    const gb = bytesB64(new Uint8Array([0xd5, 0xc5, 0xce, 0xb0])); // 张伟 in GB18030
    expect(decodeBase64Text(gb, 'gb18030')).toBe('张伟');
    const xml = bytesB64(new Uint8Array([...ascii('<?xml version="1.0" encoding="GB18030"?><n>'), 0xd5, 0xc5, ...ascii('</n>')]));
    expect(decodeBase64Text(xml, undefined, true)).toBe('<?xml version="1.0" encoding="GB18030"?><n>张</n>');
  });

  it('decodes as UTF-8 when the label is unknown, and tolerates line-wrapped base64', () => {
    expect(decodeBase64Text(b64('ok'), 'x-vendor-charset')).toBe('ok');
    const wrapped = b64('a longer text to wrap').replace(/(.{8})/g, '$1\r\n');
    expect(decodeBase64Text(wrapped)).toBe('a longer text to wrap');
  });
});

describe('attachmentsOf', () => {
  it('reads content[].attachment and ignores malformed members', () => {
    const resource = {
      resourceType: 'DocumentReference',
      content: [
        { attachment: { contentType: 'text/plain', data: 'eA==', size: 1 } },
        null,
        { attachment: 'nope' },
        { format: {} },
        { attachment: { contentType: 7 } },
      ],
    } as unknown as TimelineEntry['resource'];
    expect(attachmentsOf(resource)).toEqual([{ contentType: 'text/plain', data: 'eA==' }, {}]);
  });

  it('returns nothing for a resource without content', () => {
    expect(attachmentsOf({ resourceType: 'Composition' } as TimelineEntry['resource'])).toEqual([]);
  });
});
