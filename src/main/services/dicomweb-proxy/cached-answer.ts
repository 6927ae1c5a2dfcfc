/**
 * A PACS answer as one cache blob: a small JSON header (media type, when fetched) and the
 * body bytes exactly as the PACS sent them. The cache encrypts and authenticates the whole;
 * this only frames it, and a frame that does not parse is treated like a damaged blob.
 */
import { z } from 'zod';

export interface PacsAnswer {
  contentType: string;
  body: Uint8Array;
  fetchedAt: string;
}

const HeaderSchema = z.object({ v: z.literal(1), contentType: z.string().min(1).max(512), fetchedAt: z.string() }).strict();
const LENGTH_BYTES = 4;
const MAX_HEADER = 4096;

export function encodeAnswer(answer: PacsAnswer): Uint8Array {
  const header = Buffer.from(JSON.stringify({ v: 1, contentType: answer.contentType, fetchedAt: answer.fetchedAt }), 'utf8');
  const out = Buffer.allocUnsafe(LENGTH_BYTES + header.length + answer.body.byteLength);
  out.writeUInt32BE(header.length, 0);
  header.copy(out, LENGTH_BYTES);
  out.set(answer.body, LENGTH_BYTES + header.length);
  return out;
}

export function decodeAnswer(bytes: Uint8Array): PacsAnswer | undefined {
  if (bytes.byteLength < LENGTH_BYTES) return undefined;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = buf.readUInt32BE(0);
  if (length > MAX_HEADER || LENGTH_BYTES + length > buf.length) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(buf.subarray(LENGTH_BYTES, LENGTH_BYTES + length).toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = HeaderSchema.safeParse(header);
  if (!parsed.success) return undefined;
  return { contentType: parsed.data.contentType, fetchedAt: parsed.data.fetchedAt, body: buf.subarray(LENGTH_BYTES + length) };
}
