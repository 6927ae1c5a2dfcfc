import { describe, expect, it } from 'vitest';
import { decodeAnswer, deferAnswer, encodeAnswer } from '../../../../../src/main/services/dicomweb-proxy/cached-answer.ts';

/** A blob as the proxy wrote it before answers were kept in served form (header version 1). */
function versionOneBlob(contentType: string, body: Uint8Array): Uint8Array {
  const header = Buffer.from(JSON.stringify({ v: 1, contentType, fetchedAt: '2026-12-01T00:00:00.000Z' }), 'utf8');
  const out = Buffer.alloc(4 + header.length + body.byteLength);
  out.writeUInt32BE(header.length, 0);
  header.copy(out, 4);
  out.set(body, 4 + header.length);
  return out;
}

describe('cached DICOMweb answers', () => {
  it('writes the body pieces once into the blob; the answer is a view into it and reads back', () => {
    const pieces = [Buffer.from('--b\r\n\r\n'), new Uint8Array([1, 2, 3, 4]), Buffer.from('\r\n--b--\r\n')];
    const { blob, answer } = encodeAnswer({ contentType: 'multipart/related; boundary=b', fetchedAt: 'now', form: 'served' }, pieces);
    expect(answer.body.buffer).toBe(blob.buffer);
    expect(Buffer.from(answer.body).toString('latin1')).toBe('--b\r\n\r\n\x01\x02\x03\x04\r\n--b--\r\n');
    const read = decodeAnswer(blob)!;
    expect(read.form).toBe('served');
    expect(read.contentType).toBe('multipart/related; boundary=b');
    expect(Buffer.from(read.body).equals(Buffer.from(answer.body))).toBe(true);
  });

  it('frames a deferred answer only when its blob is asked for, and serves one piece as it is', () => {
    const frame = Buffer.from([9, 8, 7, 6]);
    const meta = {
      contentType: 'application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1',
      fetchedAt: 'now',
      form: 'served' as const,
    };
    const deferred = deferAnswer(meta, [frame]);
    expect(deferred.answer().body.buffer).toBe(frame.buffer);
    const blob = deferred.blob();
    expect(blob.byteLength).toBe(deferred.byteLength);
    expect(Buffer.from(decodeAnswer(blob)!.body).equals(frame)).toBe(true);
    // Once framed, the answer is the blob's view: one copy in memory, not two.
    expect(deferred.answer().body.buffer).toBe(blob.buffer);

    const pieces = [Buffer.from('--b\r\n\r\n'), frame, Buffer.from('\r\n--b--\r\n')];
    const joined = deferAnswer({ ...meta, contentType: 'multipart/related; boundary=b' }, pieces);
    expect(Buffer.from(joined.answer().body).equals(Buffer.concat(pieces))).toBe(true);
    expect(joined.blob()).toBe(joined.blob());
    expect(joined.blob().byteLength).toBe(joined.byteLength);
  });

  it('reads blobs of the first version as the PACS sent them, to be rendered per request', () => {
    const read = decodeAnswer(versionOneBlob('application/dicom+json', Buffer.from('[]')))!;
    expect(read.form).toBe('pacs');
    expect(Buffer.from(read.body).toString()).toBe('[]');
  });

  it('treats an unreadable frame like a damaged blob', () => {
    expect(decodeAnswer(new Uint8Array([0, 0]))).toBeUndefined();
    expect(decodeAnswer(versionOneBlob('', new Uint8Array(0)))).toBeUndefined();
    const wrongForm = Buffer.from(JSON.stringify({ v: 2, contentType: 'x', fetchedAt: 'now', form: 'other' }));
    const blob = Buffer.alloc(4 + wrongForm.length);
    blob.writeUInt32BE(wrongForm.length, 0);
    wrongForm.copy(blob, 4);
    expect(decodeAnswer(blob)).toBeUndefined();
  });
});
