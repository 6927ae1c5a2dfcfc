import { describe, expect, it } from 'vitest';
import { decodeRleFrame } from '../../../../../src/renderer/features/imaging/rle-frame.ts';

/** A DICOM RLE frame: header of segment offsets, then each segment as one literal run. */
function rleFrame(segments: number[][]): Uint8Array {
  const header = new DataView(new ArrayBuffer(64));
  header.setUint32(0, segments.length, true);
  let offset = 64;
  const bodies = segments.map((bytes, i) => {
    header.setUint32(4 + 4 * i, offset, true);
    const body = [bytes.length - 1, ...bytes];
    offset += body.length;
    return body;
  });
  return Uint8Array.from([...new Uint8Array(header.buffer), ...bodies.flat()]);
}

describe('decodeRleFrame', () => {
  it('16-bit RGB: segments are most significant byte first, sample by sample; the output is interleaved little-endian', () => {
    // Two pixels: (0x0102, 0x0304, 0x0506) and (0x1112, 0x1314, 0x1516).
    const frame = rleFrame([
      [0x01, 0x11],
      [0x02, 0x12],
      [0x03, 0x13],
      [0x04, 0x14],
      [0x05, 0x15],
      [0x06, 0x16],
    ]);
    const out = decodeRleFrame(frame, { rows: 1, columns: 2, samplesPerPixel: 3, bitsAllocated: 16, planarConfiguration: 0 });
    expect([...new Uint16Array(out.buffer)]).toEqual([0x0102, 0x0304, 0x0506, 0x1112, 0x1314, 0x1516]);
  });

  it('32-bit grey with a replicate run', () => {
    const header = new DataView(new ArrayBuffer(64));
    header.setUint32(0, 4, true);
    const segments = [
      [257 - 3, 0x00], // three zeros
      [257 - 3, 0x00],
      [257 - 3, 0x01],
      [2, 0x10, 0x20, 0x30],
    ];
    let offset = 64;
    segments.forEach((s, i) => {
      header.setUint32(4 + 4 * i, offset, true);
      offset += s.length;
    });
    const frame = Uint8Array.from([...new Uint8Array(header.buffer), ...segments.flat()]);
    const out = decodeRleFrame(frame, { rows: 1, columns: 3, samplesPerPixel: 1, bitsAllocated: 32, planarConfiguration: 0 });
    expect([...new Uint32Array(out.buffer)]).toEqual([0x0110, 0x0120, 0x0130]);
  });

  it('refuses a frame whose segment count does not fit its description', () => {
    const frame = rleFrame([[1], [2]]);
    expect(() => decodeRleFrame(frame, { rows: 1, columns: 1, samplesPerPixel: 3, bitsAllocated: 8, planarConfiguration: 0 })).toThrow(
      /2 segments/,
    );
  });
});
