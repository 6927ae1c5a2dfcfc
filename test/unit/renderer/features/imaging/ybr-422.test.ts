import { describe, expect, it } from 'vitest';
import { ybrFull422ToRgb } from '../../../../../src/renderer/features/imaging/ybr-422.ts';

describe('ybrFull422ToRgb', () => {
  it('two pixels share one Cb Cr: grey stays grey, pure red comes back red', () => {
    // Y1 Y2 Cb Cr: neutral chroma.
    expect([...ybrFull422ToRgb(Uint8Array.of(10, 200, 128, 128), 2)]).toEqual([10, 10, 10, 200, 200, 200]);
    // Red (255, 0, 0) in YBR_FULL is Y 76, Cb 85, Cr 255 (PS3.3 C.7.6.3.1.2, rounded).
    const [r, g, b] = ybrFull422ToRgb(Uint8Array.of(76, 76, 85, 255), 2);
    expect(r).toBeGreaterThanOrEqual(253);
    expect(g).toBeLessThanOrEqual(2);
    expect(b).toBeLessThanOrEqual(2);
  });

  it('clamps to 0–255 and refuses a short frame', () => {
    expect([...ybrFull422ToRgb(Uint8Array.of(255, 0, 255, 255), 2)].every((v) => v >= 0 && v <= 255)).toBe(true);
    expect(() => ybrFull422ToRgb(Uint8Array.of(1, 2, 3), 2)).toThrow(/expected 4/);
  });
});
