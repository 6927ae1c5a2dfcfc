/**
 * Whether bytes said (or assumed) to be UTF-8 are really GB18030/GBK, as Chinese systems often send
 * them. Valid GB18030 alone is not enough: most UTF-8 Chinese text is also valid GB18030 (as
 * mojibake), so a UTF-8 document with one corrupt byte must not be re-read that way. GBK read as
 * UTF-8 breaks at nearly every Chinese character; UTF-8 with a slip keeps nearly all of them.
 */
const UTF8_LENIENT = new TextDecoder('utf-8');
const GB18030_STRICT = new TextDecoder('gb18030', { fatal: true });

export function gb18030Instead(bytes: Uint8Array): string | undefined {
  const asUtf8 = UTF8_LENIENT.decode(bytes);
  let broken = 0;
  let intact = 0;
  for (const ch of asUtf8) {
    if (ch === '\uFFFD') broken++;
    else if (ch.charCodeAt(0) > 0x7f) intact++;
  }
  if (broken === 0 || broken <= intact) return undefined;
  try {
    return GB18030_STRICT.decode(bytes);
  } catch {
    return undefined;
  }
}
