/**
 * A PACS answer as one cache blob: a small JSON header (media type, when fetched, which form
 * the body is in) and the body bytes. The cache encrypts and authenticates the whole; this only
 * frames it, and a frame that does not parse is treated like a damaged blob.
 *
 * Forms: "pacs" is the body exactly as the PACS sent it (DICOM JSON is kept so, and every
 * multipart answer cached before version 2); "served" is a multipart body already rewritten the
 * way the proxy serves it, so a cache hit is sent as it is read, with no per-request re-encoding.
 */
import { z } from 'zod';

export type AnswerForm = 'pacs' | 'served';

export interface PacsAnswer {
  contentType: string;
  body: Uint8Array<ArrayBuffer>;
  fetchedAt: string;
  form: AnswerForm;
}

/**
 * An answer still in the pieces it arrived in (views into the PACS's chunks), served as they are:
 * a frame cut from a whole-series retrieve, joined only when its cache blob is written.
 */
export interface PiecedAnswer extends Omit<PacsAnswer, 'body'> {
  pieces: readonly Uint8Array[];
}

/** The body's pieces, whichever way the answer holds it. */
export function piecesOf(answer: PacsAnswer | PiecedAnswer): readonly Uint8Array[] {
  return 'pieces' in answer ? answer.pieces : [answer.body];
}

export interface EncodedAnswer {
  /** The whole blob, header first. */
  blob: Uint8Array<ArrayBuffer>;
  /** The answer, whose body is a view into `blob` (no second copy). */
  answer: PacsAnswer;
}

const HeaderSchema = z.union([
  z.object({ v: z.literal(1), contentType: z.string().min(1).max(512), fetchedAt: z.string() }).strict(),
  z.object({ v: z.literal(2), contentType: z.string().min(1).max(512), fetchedAt: z.string(), form: z.enum(['pacs', 'served']) }).strict(),
]);
const LENGTH_BYTES = 4;
const MAX_HEADER = 4096;

function headerOf(meta: Omit<PacsAnswer, 'body'>): Buffer {
  return Buffer.from(JSON.stringify({ v: 2, contentType: meta.contentType, fetchedAt: meta.fetchedAt, form: meta.form }), 'utf8');
}

export function lengthOf(pieces: readonly Uint8Array[]): number {
  let length = 0;
  for (const piece of pieces) length += piece.byteLength;
  return length;
}

/**
 * Frames `pieces` (the body, possibly in several pieces) into one blob. The body pieces are
 * copied exactly once, into the blob; the returned answer's body is a view into it.
 */
export function encodeAnswer(meta: Omit<PacsAnswer, 'body'>, pieces: readonly Uint8Array[], header = headerOf(meta)): EncodedAnswer {
  const bodyLength = lengthOf(pieces);
  const blob = Buffer.allocUnsafeSlow(LENGTH_BYTES + header.length + bodyLength);
  blob.writeUInt32BE(header.length, 0);
  header.copy(blob, LENGTH_BYTES);
  let at = LENGTH_BYTES + header.length;
  for (const piece of pieces) {
    blob.set(piece, at);
    at += piece.byteLength;
  }
  const body = new Uint8Array(blob.buffer, blob.byteOffset + LENGTH_BYTES + header.length, bodyLength);
  return { blob: new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength), answer: { ...meta, body } };
}

/**
 * An answer framed into its blob only when first needed. A frame passed on or cut from a series
 * is served from the pieces it arrived in; the one copy into a blob (≈ 10 % of the proxy's CPU
 * for a cold series, docs/benchmarks.md) is then made when the write-behind stores it, after the
 * transfer, instead of on the way.
 */
export interface DeferredAnswer {
  /** The blob's size, before it exists (memory bounds count it). */
  byteLength: number;
  /** The answer; its body is the one piece itself when there is one, else a view into the blob. */
  answer(): PacsAnswer;
  /** The answer in the pieces it was given, none copied. */
  pieced(): PiecedAnswer;
  blob(): Uint8Array<ArrayBuffer>;
}

export function deferAnswer(meta: Omit<PacsAnswer, 'body'>, pieces: readonly Uint8Array[]): DeferredAnswer {
  const header = headerOf(meta);
  let encoded: EncodedAnswer | undefined;
  const encode = () => (encoded ??= encodeAnswer(meta, pieces, header));
  const only = pieces.length === 1 ? pieces[0]! : undefined;
  const alone = only && only.buffer instanceof ArrayBuffer ? new Uint8Array(only.buffer, only.byteOffset, only.byteLength) : undefined;
  return {
    byteLength: LENGTH_BYTES + header.length + lengthOf(pieces),
    answer: () => (alone && !encoded ? { ...meta, body: alone } : encode().answer),
    pieced: () => ({ ...meta, pieces }),
    blob: () => encode().blob,
  };
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
  const start = bytes.byteOffset + LENGTH_BYTES + length;
  // The cache hands out blobs on ArrayBuffers (never shared memory); copy in the odd case it does not.
  const body =
    bytes.buffer instanceof ArrayBuffer
      ? new Uint8Array(bytes.buffer, start, bytes.byteLength - LENGTH_BYTES - length)
      : new Uint8Array(bytes.subarray(LENGTH_BYTES + length));
  return {
    contentType: parsed.data.contentType,
    fetchedAt: parsed.data.fetchedAt,
    form: parsed.data.v === 2 ? parsed.data.form : 'pacs',
    body,
  };
}
