import { describe, expect, it } from 'vitest';
import { framedPieces, framedStream, multipartFrame } from '../../../../../src/main/services/dicomweb-proxy/frame-as-multipart.ts';
import { boundaryOf, splitMultipart } from '../../../../../src/main/services/dicomweb-proxy/index.ts';

const LOCATION = '/dicom-web/pacs/studies/1.2/series/1.3/instances/1.4/frames/1';

async function read(stream: ReadableStream<Uint8Array>): Promise<{ bytes: Buffer }> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return { bytes: Buffer.concat(chunks) };
}

describe('a single-part frame served as the one part of a multipart body', () => {
  const payload = Buffer.from('\r\n--not-the-boundary\r\n pixel bytes \x00\xff', 'latin1');

  it('frames the bytes unchanged, its syntax named on the body and the part, its location kept', () => {
    const frame = multipartFrame('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.80', LOCATION)!;
    expect(frame.contentType).toMatch(
      /^multipart\/related; type="application\/octet-stream"; transfer-syntax=1\.2\.840\.10008\.1\.2\.4\.80; boundary=huizhen-[0-9a-f]{32}$/,
    );
    const chunks = framedPieces(frame, [payload]);
    // The payload is passed on as the same view, not copied.
    expect(chunks[1]).toBe(payload);
    const bytes = Buffer.concat(chunks);
    const split = splitMultipart(bytes, boundaryOf(frame.contentType)!);
    expect(split.ok && split.parts.length).toBe(1);
    if (!split.ok) return;
    expect(Buffer.from(split.parts[0]!.body).equals(payload)).toBe(true);
    expect(split.parts[0]!.headerLines).toEqual([
      'Content-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.80',
      `Content-Location: ${LOCATION}`,
    ]);
  });

  it('the same frame is the same bytes every time; another frame gets another boundary', () => {
    const type = 'application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1';
    expect(multipartFrame(type, LOCATION)!.contentType).toBe(multipartFrame(type, LOCATION)!.contentType);
    expect(multipartFrame(type, LOCATION.replace('frames/1', 'frames/2'))!.contentType).not.toBe(
      multipartFrame(type, LOCATION)!.contentType,
    );
  });

  it('a streamed body arrives in its chunks between the head and the tail', async () => {
    const frame = multipartFrame('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1', LOCATION)!;
    const pieces = [payload.subarray(0, 5), payload.subarray(5)];
    const { bytes } = await read(
      framedStream(frame, new ReadableStream({ start: (c) => (pieces.forEach((p) => c.enqueue(p)), c.close()) })),
    );
    const split = splitMultipart(bytes, boundaryOf(frame.contentType)!);
    expect(split.ok && Buffer.from(split.parts[0]!.body).equals(payload)).toBe(true);
  });

  it('leaves alone what is not single-part with a named syntax (a multipart answer is served as it is)', () => {
    expect(multipartFrame('multipart/related; type="application/octet-stream"; boundary=x', LOCATION)).toBeUndefined();
    expect(multipartFrame('application/octet-stream', LOCATION)).toBeUndefined();
    expect(multipartFrame('application/dicom+json', LOCATION)).toBeUndefined();
  });
});
