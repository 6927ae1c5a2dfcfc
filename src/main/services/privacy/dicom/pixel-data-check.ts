/**
 * A truncated file can still parse (dcmjs reads what is there and only logs), so for native
 * (uncompressed) transfer syntaxes the pixel data length is checked against what the image
 * attributes declare. Encapsulated pixel data has no declared length to check against.
 */
import type { DcmjsDataset } from './dcmjs-api.ts';

const NATIVE_TRANSFER_SYNTAXES = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.1.99']);

function firstNumber(dataset: DcmjsDataset, tag: string): number | undefined {
  const v = dataset[tag]?.Value?.[0];
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

function byteLengthOf(value: unknown): number {
  return value instanceof ArrayBuffer ? value.byteLength : ArrayBuffer.isView(value) ? value.byteLength : 0;
}

/** Undefined when the pixel data is whole (or cannot be checked); else what is wrong. */
export function pixelDataProblem(dataset: DcmjsDataset, transferSyntax: string | undefined): string | undefined {
  const pixels = dataset['7FE00010'];
  if (!pixels || !transferSyntax || !NATIVE_TRANSFER_SYNTAXES.has(transferSyntax.trim())) return undefined;
  const rows = firstNumber(dataset, '00280010');
  const columns = firstNumber(dataset, '00280011');
  const bits = firstNumber(dataset, '00280100');
  if (rows === undefined || columns === undefined || bits === undefined) return 'image attributes (Rows, Columns, BitsAllocated) missing';
  const samples = firstNumber(dataset, '00280002') ?? 1;
  const frames = firstNumber(dataset, '00280008') ?? 1;
  const expected = Math.ceil((rows * columns * samples * frames * bits) / 8);
  const actual = (pixels.Value ?? []).reduce<number>((sum, v) => sum + byteLengthOf(v), 0);
  return actual < expected ? `PixelData (7FE0,0010) has ${actual} bytes, the image needs ${expected}: the file is truncated` : undefined;
}
