import { describe, expect, it } from 'vitest';
import { createMultipartStream } from '../../../../../src/main/services/dicomweb-proxy/multipart-stream.ts';
import { splitMultipart } from '../../../../../src/main/services/dicomweb-proxy/multipart.ts';

interface Part {
  headerLines: string[];
  body: Buffer;
}

/** Feeds `bytes` in chunks of `size` and collects the parts the stream reports. */
function streamed(bytes: Buffer, boundary: string, size: number): { parts: Part[]; error?: string } {
  const parts: Part[] = [];
  const stream = createMultipartStream(boundary, {
    headers: (headerLines) => parts.push({ headerLines, body: Buffer.alloc(0) }),
    body: (chunk) => {
      const part = parts.at(-1)!;
      part.body = Buffer.concat([part.body, chunk]);
    },
  });
  for (let at = 0; at < bytes.length; at += size) {
    const error = stream.push(bytes.subarray(at, at + size));
    if (error) return { parts, error };
  }
  const error = stream.end();
  return error ? { parts, error } : { parts };
}

/** Pixel-like bytes that contain CR, LF, dashes and a near-boundary, as a frame may. */
function payload(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed * 7) % 256;
  out.write('\r\n--bound', Math.floor(length / 2), 'latin1');
  return out;
}

const BOUNDARY = 'boundary-1';

function body(parts: { headers: string[]; payload: Buffer }[], preamble = ''): Buffer {
  const pieces: Buffer[] = [Buffer.from(preamble, 'latin1')];
  for (const part of parts) {
    pieces.push(
      Buffer.from(`--${BOUNDARY}\r\n${part.headers.map((h) => `${h}\r\n`).join('')}\r\n`, 'latin1'),
      part.payload,
      Buffer.from('\r\n'),
    );
  }
  pieces.push(Buffer.from(`--${BOUNDARY}--\r\n`, 'latin1'));
  return Buffer.concat(pieces);
}

describe('multipart bodies taken apart as they arrive', () => {
  const whole = body(
    [
      {
        headers: ['Content-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1', 'Content-Location: http://pacs/f/1'],
        payload: payload(3000, 1),
      },
      { headers: [], payload: payload(257, 2) },
      { headers: ['Content-Type: application/octet-stream'], payload: Buffer.alloc(0) },
    ],
    'a preamble to skip\r\n',
  );

  it('yields the same parts as the whole-body parser, whatever the chunk size', () => {
    const reference = splitMultipart(whole, BOUNDARY);
    if (!reference.ok) throw new Error(reference.message);
    for (const size of [1, 2, 3, 7, 13, 64, 1000, whole.length]) {
      const got = streamed(whole, BOUNDARY, size);
      expect(got.error, `chunks of ${size}`).toBeUndefined();
      expect(got.parts.map((p) => p.headerLines)).toEqual(reference.parts.map((p) => p.headerLines));
      got.parts.forEach((part, i) =>
        expect(part.body.equals(Buffer.from(reference.parts[i]!.body)), `part ${i}, chunks of ${size}`).toBe(true),
      );
    }
  });

  it('hands on body bytes as views into the chunks pushed, with a boundary cut by a chunk end anywhere', () => {
    const frame = payload(200_000, 3);
    // One buffer per chunk, as a socket delivers them.
    const one = body([{ headers: ['Content-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1'], payload: frame }]);
    // Chunk ends at every offset of the closing delimiter, and in the middle of the payload.
    const delimiterAt = one.length - `\r\n--${BOUNDARY}--\r\n`.length;
    for (const cut of [delimiterAt - 1, delimiterAt, delimiterAt + 1, delimiterAt + 5, delimiterAt + 13, 100_000]) {
      const chunks = [one.subarray(0, 65_536), one.subarray(65_536, cut), one.subarray(cut)].map((c) => Buffer.from(c));
      const pieces: Uint8Array[] = [];
      const stream = createMultipartStream(BOUNDARY, { headers: () => {}, body: (bytes) => pieces.push(bytes) });
      for (const chunk of chunks) expect(stream.push(chunk), `cut at ${cut}`).toBeUndefined();
      expect(stream.end()).toBeUndefined();
      expect(Buffer.concat(pieces).equals(frame), `cut at ${cut}`).toBe(true);
      // At most the few bytes held back before a chunk shorter than a delimiter are copied.
      const copied = pieces.filter((p) => !chunks.some((c) => c.buffer === p.buffer)).reduce((n, p) => n + p.byteLength, 0);
      expect(copied, `cut at ${cut}`).toBeLessThan(`\r\n--${BOUNDARY}`.length);
    }
  });

  it('ignores what follows the closing boundary', () => {
    const got = streamed(Buffer.concat([whole, Buffer.from('epilogue --boundary-1\r\n')]), BOUNDARY, 5);
    expect(got.error).toBeUndefined();
    expect(got.parts).toHaveLength(3);
  });

  it('says what is wrong with a body that is not multipart or ends early', () => {
    expect(streamed(Buffer.from('no boundary here'), BOUNDARY, 4).error).toBe('the multipart body has no boundary');
    expect(streamed(whole.subarray(0, 2000), BOUNDARY, 100).error).toBe('part 1 is not closed by a boundary');
    expect(streamed(Buffer.from(`--${BOUNDARY}\r\nContent-Type: x`), BOUNDARY, 3).error).toBe('part 1 has no end of headers');
    expect(streamed(Buffer.from(`--${BOUNDARY}XX`), BOUNDARY, 3).error).toBe('part 1 does not start with CRLF after its boundary');
  });
});
