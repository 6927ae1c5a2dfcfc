import { describe, expect, it } from 'vitest';
import { keepRgbSamples } from '../../../../../src/renderer/features/imaging/jpeg-colour.ts';

const SOF0 = [0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x00, 0x11, 0x00];
const jpeg = (...segments: number[][]) => Uint8Array.from([0xff, 0xd8, ...segments.flat(), 0xff, 0xd9]);

describe('keepRgbSamples', () => {
  it('adds an Adobe "no transform" marker after SOI when the header names no colour coding', () => {
    const out = keepRgbSamples(jpeg(SOF0));
    expect([...out.subarray(0, 4)]).toEqual([0xff, 0xd8, 0xff, 0xee]);
    expect(String.fromCharCode(...out.subarray(6, 11))).toBe('Adobe');
    expect(out[17]).toBe(0);
    expect(out.length).toBe(jpeg(SOF0).length + 16);
  });

  it('leaves a JPEG with JFIF or an Adobe marker as it is', () => {
    const jfif = [0xff, 0xe0, 0x00, 0x07, 0x4a, 0x46, 0x49, 0x46, 0x00];
    const adobe = [0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x01];
    for (const input of [jpeg(jfif, SOF0), jpeg(adobe, SOF0)]) expect(keepRgbSamples(input)).toBe(input);
  });

  it('leaves what is not a JPEG alone', () => {
    const bytes = Uint8Array.of(1, 2, 3, 4);
    expect(keepRgbSamples(bytes)).toBe(bytes);
  });
});
