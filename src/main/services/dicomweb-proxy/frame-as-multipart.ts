/**
 * One frame kept in single-part form (`application/octet-stream; transfer-syntax=…`) served to a
 * client that reads multipart only, as the one part of a multipart/related body. The frame's
 * bytes are passed on as the same views, between a small head and tail: no copy of the payload.
 */
import { createHash } from 'node:crypto';

export interface MultipartFrame {
  contentType: string;
  head: Uint8Array<ArrayBuffer>;
  tail: Uint8Array<ArrayBuffer>;
}

/** The single-part media type's transfer syntax, undefined for anything else (already multipart). */
function singlePartSyntax(contentType: string): string | undefined {
  if (!/^application\/octet-stream\s*(;|$)/i.test(contentType)) return undefined;
  return /transfer-syntax\s*=\s*"?([0-9.]+)/i.exec(contentType)?.[1];
}

/**
 * The framing around a single-part frame, or undefined when `contentType` is not single-part.
 * `location` is the part's Content-Location (the frame's path on the proxy).
 */
export function multipartFrame(contentType: string, location: string): MultipartFrame | undefined {
  const syntax = singlePartSyntax(contentType);
  if (!syntax) return undefined;
  // Derived from what the answer is, so the same frame is the same bytes every time (a cache hit
  // equals the cold answer); 128 bits of hash make a payload holding the delimiter by chance as
  // unlikely as with a PACS's random boundary.
  const boundary = `huizhen-${createHash('sha256').update(`${location}\n${syntax}`).digest('hex').slice(0, 32)}`;
  const partType = `application/octet-stream; transfer-syntax=${syntax}`;
  return {
    // The syntax named on the body as well as on the part, as PS3.18's examples write it: some
    // clients read it from one, some from the other.
    contentType: `multipart/related; type="application/octet-stream"; transfer-syntax=${syntax}; boundary=${boundary}`,
    head: Buffer.from(`--${boundary}\r\nContent-Type: ${partType}\r\nContent-Location: ${location}\r\n\r\n`, 'latin1'),
    tail: Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1'),
  };
}

/** A body held in memory, as the one part: its pieces passed on as they are, none copied. */
export function framedPieces(frame: MultipartFrame, pieces: readonly Uint8Array[]): Uint8Array[] {
  return [frame.head, ...pieces, frame.tail];
}

/** A streamed body as the one part, chunks passed on as they arrive. */
export function framedStream(frame: MultipartFrame, body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start(controller) {
        controller.enqueue(frame.head);
      },
      flush(controller) {
        controller.enqueue(frame.tail);
      },
    }),
  );
}
