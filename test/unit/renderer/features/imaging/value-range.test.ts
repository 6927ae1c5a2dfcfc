import { describe, expect, it } from 'vitest';
import { MAX_LUT_ENTRIES, undrawableRange } from '../../../../../src/renderer/features/imaging/value-range.ts';

describe('undrawableRange', () => {
  it('draws a CT (signed 16-bit) and an RT dose of 1.3 million levels', () => {
    expect(undrawableRange({ color: false, minPixelValue: -1024, maxPixelValue: 3071 })).toBeUndefined();
    expect(undrawableRange({ color: false, minPixelValue: 0, maxPixelValue: 1_310_000 })).toBeUndefined();
  });

  it('refuses 32-bit values with swapped halves (the table would reach ~2³² entries)', () => {
    expect(undrawableRange({ color: false, minPixelValue: 250_085_395, maxPixelValue: 315_621_395 })).toEqual({
      code: 'value-range',
      detail: '250085395 … 315621395',
    });
  });

  it('counts the table from zero when every value is positive, as the renderer builds it', () => {
    const lowest = MAX_LUT_ENTRIES;
    expect(undrawableRange({ color: false, minPixelValue: lowest, maxPixelValue: lowest + 10 })?.code).toBe('value-range');
    expect(undrawableRange({ color: false, minPixelValue: 0, maxPixelValue: MAX_LUT_ENTRIES - 1 })).toBeUndefined();
  });

  it('refuses values that are not numbers, and leaves colour (drawn without the table) alone', () => {
    expect(undrawableRange({ color: false, minPixelValue: Number.NaN, maxPixelValue: 1 })?.code).toBe('value-range');
    expect(undrawableRange({ color: true, minPixelValue: 0, maxPixelValue: 2 ** 32 })).toBeUndefined();
  });
});
