/**
 * DICOM RLE Lossless (PS3.5 Annex G) decoded to a native little-endian frame, for the pixel
 * formats Cornerstone's RLE decoder gets wrong or refuses (5.14: 16-bit colour drawn as bars,
 * 32-bit "unsupported pixel format for RLE"). Segments hold one byte plane each, most
 * significant byte first, sample by sample.
 */

export interface RleLayout {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  /** 1: colour by plane (RRR…GGG…BBB…), 0: by pixel (RGBRGB…). */
  planarConfiguration: number;
}

function decodeSegment(data: Uint8Array, start: number, end: number, out: Uint8Array): void {
  let i = start;
  let o = 0;
  while (i < end && o < out.length) {
    const n = data[i++]!;
    if (n < 128) {
      // Literal run of n + 1 bytes.
      const count = Math.min(n + 1, out.length - o, end - i);
      out.set(data.subarray(i, i + count), o);
      i += n + 1;
      o += count;
    } else if (n > 128) {
      const count = Math.min(257 - n, out.length - o);
      out.fill(data[i++]!, o, o + count);
      o += count;
    }
    // 128 (-128) is a no-op.
  }
}

export function decodeRleFrame(frame: Uint8Array, layout: RleLayout): Uint8Array {
  const header = new DataView(frame.buffer, frame.byteOffset, Math.min(64, frame.byteLength));
  const segments = header.getUint32(0, true);
  const bytes = layout.bitsAllocated / 8;
  const pixels = layout.rows * layout.columns;
  if (segments !== bytes * layout.samplesPerPixel || segments > 15) {
    throw new Error(`RLE frame has ${segments} segments, expected ${bytes * layout.samplesPerPixel}`);
  }
  const out = new Uint8Array(pixels * layout.samplesPerPixel * bytes);
  const plane = new Uint8Array(pixels);
  for (let s = 0; s < segments; s++) {
    const start = header.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? header.getUint32(8 + 4 * s, true) : frame.byteLength;
    plane.fill(0);
    decodeSegment(frame, start, end, plane);
    const sample = Math.floor(s / bytes);
    // Segment order is most significant byte first; the output is little-endian.
    const byte = bytes - 1 - (s % bytes);
    for (let p = 0; p < pixels; p++) {
      const index = layout.planarConfiguration === 1 ? sample * pixels + p : p * layout.samplesPerPixel + sample;
      out[index * bytes + byte] = plane[p]!;
    }
  }
  return out;
}
