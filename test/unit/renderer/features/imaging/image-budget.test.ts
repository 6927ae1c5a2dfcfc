import { describe, expect, it } from 'vitest';
import {
  MAX_IMAGE_CACHE_BYTES,
  MIN_IMAGE_CACHE_BYTES,
  imageCacheBudget,
  stackBytes,
} from '../../../../../src/renderer/features/imaging/image-budget.ts';
import type { Dataset } from '../../../../../src/renderer/features/imaging/dicom-json.ts';

const us = (value: number) => ({ vr: 'US', Value: [value] });

function slice(rows: number, columns: number, bits: number, samples = 1, frames?: number): Dataset {
  return {
    '00280010': us(rows),
    '00280011': us(columns),
    '00280100': us(bits),
    '00280002': us(samples),
    ...(frames ? { '00280008': { vr: 'IS', Value: [String(frames)] } } : {}),
  };
}

const MB = 1024 * 1024;

describe('stackBytes', () => {
  it('counts a 200-slice 512² 16-bit CT as Cornerstone keeps it decoded (≈ 105 MB)', () => {
    expect(stackBytes(Array.from({ length: 200 }, () => slice(512, 512, 16)))).toBe(200 * 512 * 512 * 2);
  });

  it('counts colour samples, whole bytes per sample and every frame of a multi-frame instance', () => {
    expect(stackBytes([slice(480, 640, 8, 3)])).toBe(480 * 640 * 3);
    expect(stackBytes([slice(100, 100, 12, 1, 30)])).toBe(100 * 100 * 2 * 30);
  });

  it('counts nothing for an instance without its size (no pixels to keep)', () => {
    expect(stackBytes([{}])).toBe(0);
  });
});

describe('imageCacheBudget', () => {
  const ct = 200 * 512 * 512 * 2;
  const prior = 120 * 512 * 512 * 2;

  it('keeps the old floor for one stack: a single CT fits as before', () => {
    expect(imageCacheBudget([ct])).toBe(MIN_IMAGE_CACHE_BYTES);
    expect(imageCacheBudget([])).toBe(MIN_IMAGE_CACHE_BYTES);
  });

  it('holds the current CT and its prior whole in 1×2 (168 MB, over the old fixed 128 MB)', () => {
    const budget = imageCacheBudget([ct, prior]);
    expect(budget).toBeGreaterThanOrEqual(ct + prior);
    expect(budget).toBeGreaterThan(128 * MB);
  });

  it('stops at the ceiling for a 2×2 of large stacks', () => {
    expect(imageCacheBudget([ct, ct, ct, ct])).toBe(MAX_IMAGE_CACHE_BYTES);
  });
});
