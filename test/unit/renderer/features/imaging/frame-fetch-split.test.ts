import { describe, expect, it } from 'vitest';
import { boundaryOfBatch, splitFrameParts } from '../../../../../src/renderer/features/imaging/frame-fetch-split.ts';

const TYPE = 'application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1';

function part(location: string, body: Uint8Array, boundary = 'b1', first = false): Uint8Array {
  const head = `${first ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${TYPE}\r\nContent-Location: ${location}\r\nContent-Length: ${body.length}\r\n\r\n`;
  return concat([new TextEncoder().encode(head), body]);
}

function concat(pieces: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function bodyOf(frames: readonly { location: string; body: Uint8Array }[], boundary = 'b1'): Uint8Array {
  return concat([
    ...frames.map((f, i) => part(f.location, f.body, boundary, i === 0)),
    new TextEncoder().encode(`\r\n--${boundary}--\r\n`),
  ]);
}

/** A reader giving `bytes` in chunks of `size` (1 byte: every seam falls inside a header or a boundary). */
function readerOf(bytes: Uint8Array, size: number): ReadableStreamDefaultReader<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  }).getReader();
}

const frames = [
  // A frame whose bytes contain the boundary and CRLFs: Content-Length, never a scan, decides where it ends.
  { location: '/dicom-web/p/studies/1/series/2/instances/3/frames/1', body: new TextEncoder().encode('\r\n--b1\r\n\r\n--b1--x') },
  { location: '/dicom-web/p/studies/1/series/2/instances/4/frames/1', body: Uint8Array.from({ length: 70_001 }, (_, i) => (i * 7) & 0xff) },
  { location: '/dicom-web/p/studies/1/series/2/instances/5/frames/1', body: new Uint8Array(0) },
];

describe('frame batch split', () => {
  it.each([1, 7, 64, 65_536, 1 << 20])('splits parts into one buffer each, whatever the chunk size (%i)', async (size) => {
    const parts = await splitFrameParts(readerOf(bodyOf(frames), size), 'b1');
    expect(parts?.map((p) => p.location)).toEqual(frames.map((f) => f.location));
    parts!.forEach((p, i) => {
      expect(p.contentType).toBe(TYPE);
      expect(p.body).toBeInstanceOf(ArrayBuffer);
      expect(new Uint8Array(p.body)).toEqual(frames[i]!.body);
    });
  });

  it('gives up (undefined) on anything but the framing it expects', async () => {
    const good = bodyOf(frames);
    const cut = good.subarray(0, good.length - 40);
    const noLength = new TextEncoder().encode(`--b1\r\nContent-Type: ${TYPE}\r\nContent-Location: /x\r\n\r\nabc\r\n--b1--\r\n`);
    const otherBoundary = bodyOf(frames, 'zz');
    const endless = new TextEncoder().encode(`--b1\r\n${'X-A: b\r\n'.repeat(1000)}`);
    for (const bytes of [cut, noLength, otherBoundary, endless])
      await expect(splitFrameParts(readerOf(bytes, 100), 'b1')).resolves.toBeUndefined();
  });

  it('reads the boundary only from a multipart/related type', () => {
    expect(boundaryOfBatch('multipart/related; type="application/octet-stream"; boundary=huizhen-1a')).toBe('huizhen-1a');
    expect(boundaryOfBatch('multipart/related; boundary="q b"')).toBeUndefined();
    expect(boundaryOfBatch('application/octet-stream; boundary=x')).toBeUndefined();
    expect(boundaryOfBatch('multipart/related')).toBeUndefined();
  });
});
