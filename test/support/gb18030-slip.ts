/**
 * UTF-8 text with one continuation byte broken so that the whole is valid GB18030: the trap a
 * naive "not UTF-8, so GB18030" fallback falls into (it would read a corrupt UTF-8 file as garbage).
 */
export function slippedButValidGb18030(text: string): Uint8Array {
  const utf8 = new TextEncoder().encode(text);
  for (let i = 0; i < utf8.length; i++) {
    if (utf8[i]! < 0x80) continue;
    const bytes = Uint8Array.from(utf8);
    bytes[i] = 0xc0;
    try {
      new TextDecoder('gb18030', { fatal: true }).decode(bytes);
      return bytes;
    } catch {
      // this slip breaks GB18030 too: try the next byte
    }
  }
  throw new Error('no such slip');
}
