/**
 * Pixel data with Bits Allocated 1 (segmentations, overlays kept as images) holds eight pixels a
 * byte, the first pixel in the least significant bit (PS3.5 8.1.1). Cornerstone's wadouri path
 * unpacks it; its wadors path hands the packed bytes on as if each were a pixel, so a 512² frame
 * "decodes" to 32,768 values. Unpacked here to one byte per pixel, 0 or 1.
 */
export function unpackBits(packed: Uint8Array, pixels: number): Uint8Array {
  if (packed.length * 8 < pixels) throw new Error(`1-bit frame is ${packed.length} bytes, expected ${Math.ceil(pixels / 8)}`);
  const out = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) out[i] = (packed[i >> 3]! >> (i & 7)) & 1;
  return out;
}
