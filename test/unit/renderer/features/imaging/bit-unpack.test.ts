import { describe, expect, it } from 'vitest';
import { unpackBits } from '../../../../../src/renderer/features/imaging/bit-unpack.ts';

describe('unpackBits', () => {
  it('eight pixels a byte, the first pixel in the least significant bit (PS3.5 8.1.1)', () => {
    // 0b0000_0101 → pixels 0 and 2 set; 0b1000_0000 → pixel 15 set.
    expect([...unpackBits(Uint8Array.of(0b0000_0101, 0b1000_0000), 16)]).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('a pixel count that is not a multiple of eight ignores the padding bits', () => {
    expect([...unpackBits(Uint8Array.of(0xff, 0xff), 10)]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('refuses a frame shorter than its pixels need', () => {
    expect(() => unpackBits(Uint8Array.of(0xff), 9)).toThrow(/expected 2/);
  });
});
