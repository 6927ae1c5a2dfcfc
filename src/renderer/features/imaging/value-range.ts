/**
 * Cornerstone's CPU renderer (the one used without a real GPU) draws a grey image through a
 * lookup table with one entry per stored value from min(0, smallest) to the largest, rebuilt on
 * every window change and kept with each image. A 32-bit value range makes that table ~4 GB and
 * its loop ~4 billion steps: the page stopped answering and one renderer grew to 4.4 GB. Images
 * whose table would pass MAX_LUT_ENTRIES are refused with a reason instead of drawn.
 *
 * 2²⁴ entries: 16 MB a table; the 32-bit test files (RT dose, values up to ~1.3 million) stay
 * far below it, while a multi-frame series of such images stays inside the renderer's 600 MB.
 */
import type { ImagingFailure } from './imaging-failure.ts';

export const MAX_LUT_ENTRIES = 2 ** 24;

interface ValueRange {
  color: boolean;
  minPixelValue: number;
  maxPixelValue: number;
}

/** Why the image cannot be drawn, or undefined when it can. */
export function undrawableRange(image: ValueRange): ImagingFailure | undefined {
  if (image.color) return undefined;
  const { minPixelValue: min, maxPixelValue: max } = image;
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { code: 'value-range', detail: `${min} … ${max}` };
  if (max - Math.min(min, 0) + 1 <= MAX_LUT_ENTRIES) return undefined;
  return { code: 'value-range', detail: `${min} … ${max}` };
}
