/**
 * The frames of one stored DICOM instance (a Part 10 file, as a whole-series WADO-RS retrieve
 * sends it with `transfer-syntax=*`), cut out exactly as the PACS would answer a request for each
 * frame: native pixel data in frame-sized slices, encapsulated pixel data one frame per fragment
 * or as the Basic Offset Table groups the fragments. Whatever cannot be cut with certainty is
 * refused with a code, and the proxy asks the PACS for those frames one by one as before: a
 * refused instance costs a request, a wrong frame would cost a diagnosis.
 *
 * Parsing is dicom-parser's (the library Cornerstone reads DICOM with; the renderer's
 * stored-instance.ts uses it too). Its work is linear in the bytes it is given, and the caller
 * bounds those; a nesting deep enough to exhaust the stack throws and is refused like any
 * unreadable file.
 */
import * as dicomParserModule from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';

// A UMD bundle: Node sees only a default export.
const dicomParser = (dicomParserModule as typeof dicomParserModule & { default?: typeof dicomParserModule }).default ?? dicomParserModule;

const IMPLICIT_LE = '1.2.840.10008.1.2';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
/**
 * Encapsulated syntaxes whose frames are fragments of a still-image codestream: JPEG baseline,
 * extended, lossless (14 and SV1), JPEG-LS, JPEG 2000, HTJ2K and RLE. Video syntaxes, Deflated,
 * Big Endian (which Orthanc 1.10 refuses to send as stored) and unknown ones are not cut.
 */
const STILL_ENCAPSULATED = /^1\.2\.840\.10008\.1\.2\.(4\.(50|51|57|70|80|81|90|91|201|202|203)|5)$/;
/** A frame number the proxy's routes accept (six digits). */
const MAX_FRAMES = 999_999;
const UID = /^[0-9]+(\.[0-9]+)*$/;

export type CutRefusal =
  /** dicom-parser could not read the bytes (truncated, not DICOM, hostile nesting…). */
  | 'unreadable'
  /** No file meta transfer syntax, or one this module does not cut. */
  | 'unsupported-syntax'
  /** The instance is not the one expected (another series or study). */
  | 'wrong-series'
  | 'no-pixel-data'
  /** Bits Allocated other than 8/16/32/64 (1-bit overlays and bitmaps are packed across frames). */
  | 'unsupported-bits'
  /** A native frame of odd length: how a PACS pads it is its own choice. */
  | 'odd-length'
  /** Native pixel data shorter than its frames, or a photometric interpretation with subsampling. */
  | 'inconsistent-pixel-data'
  /** Fragments and frames do not pair up unambiguously (no offset table, or one that disagrees). */
  | 'ambiguous-fragments';

export interface CutFrames {
  ok: true;
  sopInstanceUid: string;
  transferSyntax: string;
  /** Frame n (one-based) at index n − 1; views into the instance's bytes, or joined fragments. */
  frames: Uint8Array[];
}

export type CutResult = CutFrames | { ok: false; code: CutRefusal; sopInstanceUid?: string };

export interface PiecedFrames {
  ok: true;
  sopInstanceUid: string;
  transferSyntax: string;
  /** Frame n (one-based) at index n − 1, each as views into the chunks the instance arrived in. */
  frames: Uint8Array[][];
}

/** An instance's bytes: one contiguous array, or the chunks it arrived in. */
interface InstanceBytes {
  byteLength: number;
  /** The bytes from `start` to `end`, as views. */
  range(start: number, end: number): Uint8Array[];
}

function contiguous(part10: Uint8Array): InstanceBytes {
  return { byteLength: part10.byteLength, range: (start, end) => [part10.subarray(start, end)] };
}

function chunked(chunks: readonly Uint8Array[], byteLength: number): InstanceBytes {
  return {
    byteLength,
    range(start, end) {
      const out: Uint8Array[] = [];
      let at = 0;
      for (const chunk of chunks) {
        const next = at + chunk.byteLength;
        if (next > start && at < end) out.push(chunk.subarray(Math.max(0, start - at), Math.min(chunk.byteLength, end - at)));
        if (next >= end) break;
        at = next;
      }
      return out;
    },
  };
}

/**
 * How much of an instance's start is joined to read its data set up to the pixel data: a CT's
 * attributes take a few kB; an instance whose attributes run longer is joined whole instead.
 */
const PREFIX_BYTES = 64 * 1024;

export interface ExpectedSeries {
  studyUid: string;
  seriesUid: string;
}

function text(dataSet: DataSet, tag: string): string {
  return (dataSet.string(tag) ?? '').replace(/\0/g, '').trim();
}

function refuse(code: CutRefusal, sopInstanceUid?: string): CutResult {
  return { ok: false, code, ...(sopInstanceUid ? { sopInstanceUid } : {}) };
}

function parse(part10: Uint8Array, untilTag?: string): DataSet | undefined {
  try {
    return dicomParser.parseDicom(part10, untilTag ? { untilTag } : undefined);
  } catch {
    return undefined;
  }
}

function positiveInteger(dataSet: DataSet, tag: string): number | undefined {
  const value = dataSet.uint16(tag);
  return value !== undefined && value > 0 ? value : undefined;
}

function frameCount(dataSet: DataSet): number | undefined {
  const raw = text(dataSet, 'x00280008');
  if (raw === '') return 1;
  if (!/^[0-9]{1,6}$/.test(raw)) return undefined;
  const count = Number(raw);
  return count >= 1 && count <= MAX_FRAMES ? count : undefined;
}

function nativeFrames(part10: InstanceBytes, dataSet: DataSet, pixels: Element, frames: number): Uint8Array[][] | CutRefusal {
  const rows = positiveInteger(dataSet, 'x00280010');
  const columns = positiveInteger(dataSet, 'x00280011');
  const samples = positiveInteger(dataSet, 'x00280002') ?? 1;
  const bits = dataSet.uint16('x00280100');
  if (bits !== 8 && bits !== 16 && bits !== 32 && bits !== 64) return 'unsupported-bits';
  if (!rows || !columns || (samples !== 1 && samples !== 3)) return 'inconsistent-pixel-data';
  // YBR_*_422 native data holds fewer bytes than rows × columns × samples: PACS differ on it.
  if (/422|420/.test(text(dataSet, 'x00280004'))) return 'inconsistent-pixel-data';
  const size = (rows * columns * samples * bits) / 8;
  if (size % 2 !== 0) return 'odd-length';
  if (pixels.length < size * frames || pixels.dataOffset + size * frames > part10.byteLength) return 'inconsistent-pixel-data';
  const out: Uint8Array[][] = [];
  for (let i = 0; i < frames; i++) out.push(part10.range(pixels.dataOffset + i * size, pixels.dataOffset + (i + 1) * size));
  return out;
}

function joined(part10: Uint8Array, fragments: readonly { position: number; length: number }[]): Uint8Array {
  if (fragments.length === 1) return part10.subarray(fragments[0]!.position, fragments[0]!.position + fragments[0]!.length);
  return Buffer.concat(fragments.map((f) => part10.subarray(f.position, f.position + f.length)));
}

function encapsulatedFrames(part10: Uint8Array, pixels: Element, frames: number): Uint8Array[] | CutRefusal {
  const fragments = pixels.fragments ?? [];
  const table = pixels.basicOffsetTable ?? [];
  if (fragments.length === 0) return 'no-pixel-data';
  if (fragments.some((f) => f.length <= 0 || f.position + f.length > part10.byteLength)) return 'inconsistent-pixel-data';
  if (table.length !== 0 && table.length !== frames) return 'ambiguous-fragments';
  if (fragments.length === frames) {
    // One fragment per frame; an offset table, when present, must say the same.
    if (table.some((offset, i) => offset !== fragments[i]!.offset)) return 'ambiguous-fragments';
    return fragments.map((f) => joined(part10, [f]));
  }
  // PS3.5 A.4: a single frame is all the fragments, whatever the offset table says.
  if (frames === 1) return [joined(part10, fragments)];
  if (table.length === 0) return 'ambiguous-fragments';
  // The offset table names where each frame's first fragment starts; each frame runs to the next.
  const out: Uint8Array[] = [];
  for (let i = 0; i < frames; i++) {
    const start = table[i]!;
    const end = i + 1 < frames ? table[i + 1]! : Number.POSITIVE_INFINITY;
    if (!(end > start)) return 'ambiguous-fragments';
    const first = fragments.findIndex((f) => f.offset === start);
    if (first < 0) return 'ambiguous-fragments';
    const own = fragments.filter((f) => f.offset >= start && f.offset < end);
    out.push(joined(part10, own));
  }
  return out;
}

/** What the checks found out about an instance whose frames can be cut. */
interface Checked {
  sop: string;
  transferSyntax: string;
  native: boolean;
  pixels: Element;
  frames: number;
}

/** The checks every cut passes, on a parsed data set; the caller cuts the frames by its own means. */
function checked(dataSet: DataSet, expected: ExpectedSeries): Checked | CutResult {
  const sop = text(dataSet, 'x00080018');
  if (!UID.test(sop) || sop.length > 64) return refuse('unreadable');
  const transferSyntax = text(dataSet, 'x00020010');
  if (text(dataSet, 'x0020000d') !== expected.studyUid || text(dataSet, 'x0020000e') !== expected.seriesUid) {
    return refuse('wrong-series', sop);
  }
  const native = transferSyntax === IMPLICIT_LE || transferSyntax === EXPLICIT_LE;
  if (!native && !STILL_ENCAPSULATED.test(transferSyntax)) return refuse('unsupported-syntax', sop);
  const pixels = dataSet.elements['x7fe00010'];
  if (!pixels) return refuse('no-pixel-data', sop);
  const frames = frameCount(dataSet);
  if (frames === undefined) return refuse('inconsistent-pixel-data', sop);
  if (native === Boolean(pixels.encapsulatedPixelData)) return refuse('inconsistent-pixel-data', sop);
  return { sop, transferSyntax, native, pixels, frames };
}

/**
 * Cuts `part10` into its frames. `expected`: the series it must belong to (a PACS answer for one
 * series holding another series' instance is refused, not filed under the wrong UIDs).
 */
export function cutFrames(part10: Uint8Array, expected: ExpectedSeries): CutResult {
  const dataSet = parse(part10);
  if (!dataSet) return refuse('unreadable');
  const check = checked(dataSet, expected);
  if (!('sop' in check)) return check;
  const { sop, transferSyntax, native, pixels, frames } = check;
  // A contiguous instance's native frames are one view each.
  const cut = native ? nativeFrames(contiguous(part10), dataSet, pixels, frames) : encapsulatedFrames(part10, pixels, frames);
  if (typeof cut === 'string') return refuse(cut, sop);
  return { ok: true, sopInstanceUid: sop, transferSyntax, frames: cut.map((frame) => (Array.isArray(frame) ? frame[0]! : frame)) };
}

/**
 * The same cut from the chunks an instance arrived in, without joining them (a 200-slice CT is
 * 105 MB joined once more and collected): native pixel data whose data set before it lies in the
 * first PREFIX_BYTES, read with dicom-parser up to the pixel data. Undefined for anything else
 * (encapsulated data, long attributes, what the short read cannot decide): join the chunks and
 * call `cutFrames`, which also words every refusal.
 */
export function cutFramesInPieces(chunks: readonly Uint8Array[], expected: ExpectedSeries): PiecedFrames | undefined {
  let byteLength = 0;
  for (const chunk of chunks) byteLength += chunk.byteLength;
  const prefixPieces: Uint8Array[] = [];
  let prefixLength = 0;
  for (const chunk of chunks) {
    if (prefixLength >= PREFIX_BYTES) break;
    prefixPieces.push(chunk);
    prefixLength += chunk.byteLength;
  }
  const prefix = prefixPieces.length === 1 ? prefixPieces[0]! : Buffer.concat(prefixPieces, prefixLength);
  const dataSet = parse(prefix, 'x7fe00010');
  const pixels = dataSet?.elements['x7fe00010'];
  if (!dataSet || !pixels || pixels.hadUndefinedLength || pixels.encapsulatedPixelData || pixels.dataOffset > prefix.byteLength)
    return undefined;
  const check = checked(dataSet, expected);
  if (!('sop' in check) || !check.native) return undefined;
  const cut = nativeFrames(chunked(chunks, byteLength), dataSet, pixels, check.frames);
  if (typeof cut === 'string') return undefined;
  return { ok: true, sopInstanceUid: check.sop, transferSyntax: check.transferSyntax, frames: cut };
}
