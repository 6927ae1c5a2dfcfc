/**
 * An instance as the PACS stored it (WADO-RS instance retrieval with `transfer-syntax=*`), for
 * frames whose conversion by the PACS cannot be trusted.
 *
 * The case found: a 32-bit image stored as Explicit VR Big Endian. Orthanc cannot send its
 * frames as stored (HTTP 500 for `transfer-syntax=*`; the proxy then asks for Explicit VR Little
 * Endian), and the conversion it does with DCMTK treats the OW pixel data as 16-bit words, so the
 * two 16-bit halves of every 32-bit value come out swapped: `dcmconv +te rtdose_expb_1frame.dcm`
 * (DCMTK 3.6.7, Debian 12) turns 1249000 = 0x00130EE8 into 250085395 = 0x0EE80013. DICOMweb
 * metadata does not carry the stored transfer syntax (group 0002 is not in it), so the instance
 * itself is read: its file meta names the syntax, and its own pixel data gives the right frame
 * whatever the PACS's conversion did.
 */
import * as dicomParserModule from 'dicom-parser';
import { failureOfAnswer, type ImagingFailure } from './imaging-failure.ts';

// A UMD bundle: Vite's pre-bundling gives named exports, Node (the unit tests) only a default.
const dicomParser = (dicomParserModule as typeof dicomParserModule & { default?: typeof dicomParserModule }).default ?? dicomParserModule;

export const EXPLICIT_BIG_ENDIAN = '1.2.840.10008.1.2.2';
const INSTANCE_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*';

export interface StoredInstance {
  transferSyntax: string;
  /** Native pixel data of every frame as stored (undefined when encapsulated or absent). */
  pixelData?: Uint8Array;
}

/** The WADO-RS instance URL of a wadors frame image id (…/instances/{uid}/frames/{n}). */
export function instanceUrlOf(imageId: string): string | undefined {
  const match = /^wadors:(.*\/instances\/[0-9.]+)\/frames\/\d+$/.exec(imageId);
  return match?.[1];
}

/** The zero-based frame index named by a wadors frame image id. */
export function frameIndexOf(imageId: string): number {
  return Number(/\/frames\/(\d+)$/.exec(imageId)?.[1] ?? '1') - 1;
}

function indexOf(bytes: Uint8Array, pattern: Uint8Array, from: number): number {
  const first = pattern[0];
  outer: for (let at = bytes.indexOf(first!, from); at >= 0 && at + pattern.length <= bytes.length; at = bytes.indexOf(first!, at + 1)) {
    for (let k = 1; k < pattern.length; k++) if (bytes[at + k] !== pattern[k]) continue outer;
    return at;
  }
  return -1;
}

/** The first part's body of a multipart/related answer (the one instance asked for). */
export function firstPart(body: Uint8Array, boundary: string): Uint8Array | undefined {
  const encoder = new TextEncoder();
  const delimiter = encoder.encode(`--${boundary}`);
  const start = indexOf(body, delimiter, 0);
  if (start < 0) return undefined;
  const headersEnd = indexOf(body, encoder.encode('\r\n\r\n'), start + delimiter.length);
  if (headersEnd < 0) return undefined;
  const bodyStart = headersEnd + 4;
  const end = indexOf(body, encoder.encode(`\r\n--${boundary}`), bodyStart);
  return body.subarray(bodyStart, end < 0 ? body.length : end);
}

/** Reads a Part 10 file's transfer syntax and native pixel data. */
export function parseStoredInstance(part10: Uint8Array): StoredInstance {
  const dataSet = dicomParser.parseDicom(part10);
  const transferSyntax = (dataSet.string('x00020010') ?? '').replace(/\0/g, '').trim();
  const element = dataSet.elements['x7fe00010'];
  if (!element || element.encapsulatedPixelData || element.length <= 0) return { transferSyntax };
  return { transferSyntax, pixelData: part10.subarray(element.dataOffset, element.dataOffset + element.length) };
}

/** 32-bit big-endian values as little-endian (each value's four bytes reversed), in a new array. */
export function swap32(bigEndian: Uint8Array): Uint8Array {
  const out = new Uint8Array(bigEndian.length - (bigEndian.length % 4));
  for (let at = 0; at < out.length; at += 4) {
    out[at] = bigEndian[at + 3]!;
    out[at + 1] = bigEndian[at + 2]!;
    out[at + 2] = bigEndian[at + 1]!;
    out[at + 3] = bigEndian[at]!;
  }
  return out;
}

/** A stored instance the endpoint refused (e.g. one a masked session cannot be sent): the reason, for the viewer to word. */
export class StoredInstanceRefused extends Error {
  readonly failure: ImagingFailure;
  constructor(failure: ImagingFailure) {
    super(`stored instance refused: ${failure.code}`);
    this.name = 'StoredInstanceRefused';
    this.failure = failure;
  }
}

async function fetchStoredInstance(url: string): Promise<StoredInstance | undefined> {
  const response = await fetch(url, { headers: { accept: INSTANCE_ACCEPT }, credentials: 'same-origin' });
  const boundary = /boundary="?([^";]+)"?/i.exec(response.headers.get('content-type') ?? '')?.[1];
  if (!response.ok || !boundary) {
    await response.body?.cancel().catch(() => undefined);
    if (!response.ok) throw new StoredInstanceRefused(failureOfAnswer(response.status, (name) => response.headers.get(name)));
    return undefined;
  }
  const part = firstPart(new Uint8Array(await response.arrayBuffer()), boundary);
  return part ? parseStoredInstance(part) : undefined;
}

/**
 * Instances read, by URL: the frames of one multi-frame instance load together and share one
 * read. Two are kept: a stored instance holds every frame's pixels (an ultrasound cine can be
 * 100 MB), and the renderer's budget is 600 MB.
 */
const KEEP = 2;
const reads = new Map<string, Promise<StoredInstance | undefined>>();

/**
 * The instance as stored; undefined when it could not be read or parsed. Rejects with
 * StoredInstanceRefused when the endpoint answered with a refusal: the frame then fails with
 * that reason instead of silently falling back to pixels the PACS converted.
 */
export function storedInstance(url: string): Promise<StoredInstance | undefined> {
  const known = reads.get(url);
  if (known) return known;
  const read = fetchStoredInstance(url).catch((error: unknown) => {
    if (error instanceof StoredInstanceRefused) throw error;
    return undefined;
  });
  reads.set(url, read);
  while (reads.size > KEEP) reads.delete(reads.keys().next().value!);
  return read;
}

const NATIVE_SYNTAXES = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', EXPLICIT_BIG_ENDIAN]);

export interface NativeLayout {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  photometricInterpretation?: string;
}

function swap16(bigEndian: Uint8Array): Uint8Array {
  const out = new Uint8Array(bigEndian.length - (bigEndian.length % 2));
  for (let at = 0; at < out.length; at += 2) {
    out[at] = bigEndian[at + 1]!;
    out[at + 1] = bigEndian[at]!;
  }
  return out;
}

/**
 * Frame `index` of an uncompressed stored instance as native little-endian bytes, for frames the
 * PACS will not send (Orthanc 1.10 answers 400 "Bad file format" for YBR_FULL_422 uncompressed
 * and for a Number of Frames that does not parse, yet serves the instance itself). Undefined when
 * the instance is compressed, 1-bit (its frames need not start on a byte), or too short.
 */
export function nativeFrame(stored: StoredInstance | undefined, index: number, layout: NativeLayout): Uint8Array | undefined {
  if (!stored?.pixelData || !NATIVE_SYNTAXES.has(stored.transferSyntax) || layout.bitsAllocated % 8 !== 0) return undefined;
  const bytes = layout.bitsAllocated / 8;
  // 4:2:2 keeps two samples a pixel: Y Y Cb Cr for each pair.
  const samples = layout.photometricInterpretation === 'YBR_FULL_422' ? 2 : layout.samplesPerPixel;
  const frameBytes = layout.rows * layout.columns * samples * bytes;
  const start = index * frameBytes;
  if (frameBytes <= 0 || start + frameBytes > stored.pixelData.length) return undefined;
  const frame = stored.pixelData.subarray(start, start + frameBytes);
  if (stored.transferSyntax !== EXPLICIT_BIG_ENDIAN || bytes === 1) return frame.slice();
  return bytes === 2 ? swap16(frame) : bytes === 4 ? swap32(frame) : undefined;
}

/**
 * Frame `index` of a 32-bit instance stored Big Endian, as native little-endian bytes; undefined
 * when the instance was not stored that way or its pixel data is not all there.
 */
export function bigEndianFrame32(stored: StoredInstance | undefined, index: number, frameBytes: number): Uint8Array | undefined {
  if (!stored?.pixelData || stored.transferSyntax !== EXPLICIT_BIG_ENDIAN) return undefined;
  const start = index * frameBytes;
  if (start + frameBytes > stored.pixelData.length) return undefined;
  return swap32(stored.pixelData.subarray(start, start + frameBytes));
}
