/**
 * Corrections around Cornerstone's DICOM image loader (5.14) for files it would show wrong or
 * not at all, found by the pixel-correctness harness (test/support/pixel-correctness.ts):
 * - an instance without Modality (Type 1, but secondary captures in the wild omit it): the
 *   loader's metadata provider calls modality.includes() and throws, so no image ever comes;
 * - RLE with more than 8 bits per sample in colour, or 32 bits at all: its RLE decoder draws
 *   bars or refuses; such frames are fetched here, decoded (rle-frame.ts) and handed to the
 *   loader's own createImage as native little-endian pixels;
 * - baseline JPEG in RGB without a JFIF or Adobe marker: decoders convert it from YCbCr
 *   although DICOM says RGB (magenta pictures); jpeg-colour.ts marks it "no transform";
 * - JPEG 2000 whose codestream says unsigned while Pixel Representation says signed: the loader
 *   keeps the codestream's reading and shows the picture inverted; the values are re-read as
 *   two's complement of Bits Stored, as pydicom does;
 * - 1-bit pixel data (segmentations): the wadors path keeps the packed bytes; unpacked here
 *   (bit-unpack.ts);
 * - 32-bit images stored Big Endian: the PACS's conversion cannot be trusted (Orthanc/DCMTK swap
 *   the 16-bit halves of each value), so the frame is taken from the instance as stored
 *   (stored-instance.ts); a frame sent Big Endian is swapped here (the loader leaves it undecoded);
 * - frames the PACS refuses to send although it serves the instance (Orthanc: YBR_FULL_422
 *   uncompressed, an unparsable Number of Frames): cut from the instance as stored, 4:2:2
 *   converted to RGB (ybr-422.ts);
 * - a grey value range the CPU renderer cannot draw without hanging: refused (value-range.ts).
 * Everything else goes through the loader unchanged.
 */
import { imageLoader, metaData, utilities, type Types } from '@cornerstonejs/core';
import { createImage, wadors } from '@cornerstonejs/dicom-image-loader';
import { unpackBits } from './bit-unpack.ts';
import { loadPrefetchedFrame } from './prefetched-frame.ts';
import { TAGS, text, type Dataset } from './dicom-json.ts';
import { failureOf, failureOfAnswer, type ImagingFailure } from './imaging-failure.ts';
import { keepRgbSamples } from './jpeg-colour.ts';
import { decodeRleFrame, type RleLayout } from './rle-frame.ts';
import {
  bigEndianFrame32,
  EXPLICIT_BIG_ENDIAN,
  frameIndexOf,
  instanceUrlOf,
  nativeFrame,
  storedInstance,
  swap32,
} from './stored-instance.ts';
import { undrawableRange } from './value-range.ts';
import { ybrFull422ToRgb } from './ybr-422.ts';

const RLE = '1.2.840.10008.1.2.5';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLICIT_LE = '1.2.840.10008.1.2';
const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
const JPEG_2000 = new Set(['1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91']);
const SINGLE_FRAME_ACCEPT = 'application/octet-stream; transfer-syntax=*';

/** The instance metadata with what the loader cannot do without filled in. */
export function completeForLoader(dataset: Dataset): Dataset {
  if (text(dataset, TAGS.Modality)) return dataset;
  return { ...dataset, [TAGS.Modality]: { vr: 'CS', Value: ['OT'] } };
}

interface PixelModule {
  bitsAllocated: number;
  bitsStored: number;
  samplesPerPixel: number;
  pixelRepresentation: number;
  planarConfiguration?: number;
  photometricInterpretation?: string;
  rows: number;
  columns: number;
}

function pixelModule(imageId: string): PixelModule | undefined {
  return metaData.get('imagePixelModule', imageId) as PixelModule | undefined;
}

function decodedHere(pixel: PixelModule | undefined): pixel is PixelModule {
  if (!pixel) return false;
  const rgb8 = pixel.bitsAllocated === 8 && pixel.photometricInterpretation === 'RGB';
  return rgb8 || pixel.bitsAllocated === 1 || pixel.bitsAllocated === 32 || (pixel.bitsAllocated > 8 && pixel.samplesPerPixel > 1);
}

type LoaderOptions = Parameters<typeof createImage>[3];
type WadorsOptions = Parameters<typeof wadors.loadImage>[1];

/**
 * The PACS refused to send the frame although it has the instance (Orthanc: 400 "Bad file
 * format", 406, 5xx): worth reading the instance as stored. Not a 404, credentials or a timeout.
 */
function refusedFrame(failure: ImagingFailure): boolean {
  if (failure.code === 'pacs-not-found') return failure.pacsStatus === 400;
  return failure.code === 'pacs-media-type' || failure.code === 'pacs-failed';
}

/** The frame cut from the instance as stored, when the PACS refused the frame itself. */
async function storedFrame(imageId: string, pixel: PixelModule | undefined, failure: ImagingFailure): Promise<Uint8Array | undefined> {
  const url = instanceUrlOf(imageId);
  if (!pixel || !url || !refusedFrame(failure)) return undefined;
  const frame = nativeFrame(await storedInstance(url), frameIndexOf(imageId), pixel);
  const ybr422 = pixel.photometricInterpretation === 'YBR_FULL_422' && pixel.bitsAllocated === 8;
  return frame && ybr422 ? ybrFull422ToRgb(frame, pixel.rows * pixel.columns) : frame;
}

async function servedFrame(imageId: string, pixel: PixelModule): Promise<{ syntax: string; body: Uint8Array } | undefined> {
  const response = await fetch(imageId.slice('wadors:'.length), { headers: { accept: SINGLE_FRAME_ACCEPT }, credentials: 'same-origin' });
  const type = response.headers.get('content-type') ?? '';
  if (response.ok && type.startsWith('application/octet-stream')) {
    const served = /transfer-syntax="?([0-9.]+)/.exec(type)?.[1] ?? EXPLICIT_LE;
    return nativeBytes(imageId, pixel, served, new Uint8Array(await response.arrayBuffer()));
  }
  await response.body?.cancel().catch(() => undefined);
  const failure = failureOfAnswer(response.status, (name) => response.headers.get(name));
  const stored = response.ok ? undefined : await storedFrame(imageId, pixel, failure);
  return stored && { syntax: EXPLICIT_LE, body: stored };
}

async function loadDecodedHere(imageId: string, pixel: PixelModule, options: LoaderOptions): Promise<Types.IImage> {
  const frame = await servedFrame(imageId, pixel);
  // The loader's own request then fails or succeeds the way the viewer already words.
  if (!frame) return wadors.loadImage(imageId, options as WadorsOptions).promise as Promise<Types.IImage>;
  const { syntax, body } = frame;
  if (syntax === JPEG_BASELINE && pixel.photometricInterpretation === 'RGB') {
    return (await createImage(imageId, keepRgbSamples(body), syntax, options)) as Types.IImage;
  }
  if (syntax !== RLE && syntax !== EXPLICIT_LE) return (await createImage(imageId, body, syntax, options)) as Types.IImage;
  const layout: RleLayout = { ...pixel, planarConfiguration: pixel.planarConfiguration ?? 0 };
  const native = syntax === RLE ? decodeRleFrame(body, layout) : body;
  if (pixel.samplesPerPixel > 1 && pixel.bitsAllocated > 8) narrowColour(native, pixel.bitsAllocated, pixel.bitsStored);
  return (await createImage(imageId, native, EXPLICIT_LE, options)) as Types.IImage;
}

/**
 * Uncompressed frames the loader would misread, as native little-endian bytes it reads right:
 * 1-bit unpacked to a byte per pixel, 32-bit Big Endian swapped, and a 32-bit frame the PACS
 * converted from a Big Endian instance replaced by the stored instance's own frame.
 */
async function nativeBytes(
  imageId: string,
  pixel: PixelModule,
  syntax: string,
  body: Uint8Array,
): Promise<{ syntax: string; body: Uint8Array }> {
  const native = syntax === EXPLICIT_LE || syntax === IMPLICIT_LE;
  const samples = pixel.rows * pixel.columns * pixel.samplesPerPixel;
  if (pixel.bitsAllocated === 1 && (native || syntax === EXPLICIT_BIG_ENDIAN))
    return { syntax: EXPLICIT_LE, body: unpackBits(body, samples) };
  if (pixel.bitsAllocated !== 32) return { syntax, body };
  if (syntax === EXPLICIT_BIG_ENDIAN) return { syntax: EXPLICIT_LE, body: swap32(body) };
  const url = native ? instanceUrlOf(imageId) : undefined;
  const stored = url ? bigEndianFrame32(await storedInstance(url), frameIndexOf(imageId), samples * 4) : undefined;
  return { syntax: stored ? EXPLICIT_LE : syntax, body: stored ?? body };
}

/**
 * Cornerstone draws colour as 8 bits per channel and cuts wider samples to their low byte
 * (16-bit RGB then shows as bands): each sample is scaled to 0–255 in place, still in its
 * 16- or 32-bit container, so the loader's own conversion finds values it can keep.
 */
function narrowColour(native: Uint8Array, bitsAllocated: number, bitsStored: number): void {
  const view = new DataView(native.buffer, native.byteOffset, native.byteLength);
  const bytes = bitsAllocated / 8;
  const divisor = 2 ** Math.max(0, bitsStored - 8);
  for (let at = 0; at + bytes <= native.byteLength; at += bytes) {
    if (bytes === 2) view.setUint16(at, Math.floor(view.getUint16(at, true) / divisor), true);
    else view.setUint32(at, Math.floor(view.getUint32(at, true) / divisor), true);
  }
}

/**
 * The low `bits` bits of each stored value read as two's complement (pydicom's correction).
 * Idempotent: a value already in the signed range of `bits` bits stays as it is.
 */
function signedCopy(values: ArrayLike<number>, bits: number, slope: number, intercept: number): Float32Array | Int16Array {
  const out = slope === 1 && intercept === 0 && bits <= 16 ? new Int16Array(values.length) : new Float32Array(values.length);
  const half = 2 ** (bits - 1);
  const full = 2 ** bits;
  for (let i = 0; i < values.length; i++) {
    const pattern = ((Math.round((values[i]! - intercept) / slope) % full) + full) % full;
    out[i] = (pattern >= half ? pattern - full : pattern) * slope + intercept;
  }
  return out;
}

function fixSignedness(image: Types.IImage, pixel: PixelModule | undefined): Types.IImage {
  const syntax = (image as Types.IImage & { transferSyntaxUID?: string }).transferSyntaxUID ?? '';
  if (!pixel || pixel.pixelRepresentation !== 1 || !JPEG_2000.has(syntax) || image.color) return image;
  const data = image.getPixelData() as ArrayLike<number>;
  const scaled = image.preScale?.scaled === true;
  const slope = scaled ? (image.preScale?.scalingParameters?.rescaleSlope ?? 1) : 1;
  const intercept = scaled ? (image.preScale?.scalingParameters?.rescaleIntercept ?? 0) : 0;
  // Misread: some stored value lies outside what Bits Stored can hold as a signed number (the
  // codestream's unsigned reading, or a sign extension from the wrong bit).
  const half = 2 ** (pixel.bitsStored - 1);
  let misread = false;
  for (let i = 0; i < data.length && !misread; i++) {
    const raw = Math.round((data[i]! - intercept) / slope);
    misread = raw >= half || raw < -half;
  }
  if (!misread) return image;
  const fixed = signedCopy(data, pixel.bitsStored, slope, intercept);
  const voxelManager = utilities.VoxelManager.createImageVoxelManager({
    scalarData: fixed,
    width: image.width,
    height: image.height,
    numberOfComponents: 1,
  });
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of fixed) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Object.assign(image, {
    voxelManager,
    getPixelData: () => voxelManager.getScalarData(),
    minPixelValue: lo,
    maxPixelValue: hi,
    sizeInBytes: fixed.byteLength,
  });
}

/** The image, unless the viewer cannot draw its value range: then a failure the panel words. */
function drawable(image: Types.IImage): Types.IImage {
  const failure: ImagingFailure | undefined = undrawableRange(image);
  if (failure) throw Object.assign(new Error(`value range ${failure.detail ?? ''}`), { failure });
  return image;
}

/** Puts the corrections in front of the loader's wadors scheme; call after its init. */
export function installPixelFixes(): void {
  imageLoader.registerImageLoader('wadors', (imageId: string, options?: Record<string, unknown>) => {
    const pixel = pixelModule(imageId);
    const loaderOptions = (options ?? {}) as LoaderOptions;
    if (decodedHere(pixel)) return { promise: loadDecodedHere(imageId, pixel, loaderOptions).then(drawable) };
    const loaded = loadPrefetchedFrame(imageId, loaderOptions) ?? wadors.loadImage(imageId, loaderOptions as WadorsOptions);
    const promise = (loaded.promise as Promise<Types.IImage>).then(
      (image) => drawable(fixSignedness(image, pixel)),
      async (error: unknown) => {
        const stored = await storedFrame(imageId, pixel, failureOf(error));
        if (!stored) throw error;
        return drawable((await createImage(imageId, stored, EXPLICIT_LE, loaderOptions)) as Types.IImage);
      },
    );
    return { ...loaded, promise };
  });
}
