/**
 * Uncompressed YBR_FULL_422 (PS3.3 C.7.6.3.1.2): each pair of pixels stored as Y1 Y2 Cb Cr.
 * Cornerstone's loader (5.14) decides whether to convert it by a byte count that fits 4:2:0
 * rather than 4:2:2 (15,000 instead of 20,000 bytes for 100×100), so it never converts and draws
 * black; converted here to 8-bit RGB with the YBR_FULL equations of PS3.3 C.7.6.3.1.2.
 */
const clamp = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

export function ybrFull422ToRgb(frame: Uint8Array, pixels: number): Uint8Array {
  if (frame.length < pixels * 2) throw new Error(`YBR_FULL_422 frame is ${frame.length} bytes, expected ${pixels * 2}`);
  const out = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p += 2) {
    const at = p * 2;
    const cb = frame[at + 2]! - 128;
    const cr = frame[at + 3]! - 128;
    for (let k = 0; k < 2 && p + k < pixels; k++) {
      const y = frame[at + k]!;
      const o = (p + k) * 3;
      out[o] = clamp(y + 1.402 * cr);
      out[o + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
      out[o + 2] = clamp(y + 1.772 * cb);
    }
  }
  return out;
}
