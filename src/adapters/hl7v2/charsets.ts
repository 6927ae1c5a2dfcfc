/**
 * Character sets named in MSH-18 (HL7 table 0211 plus what Chinese HIS vendors actually send)
 * and the byte ↔ text conversion for them. GBK and GB2312 are decoded as GB18030, their
 * superset, so a mislabelled message still reads.
 */
import iconv from 'iconv-lite';

/** Charsets Huizhen can be configured to send with; see Hl7v2SourceConfig.charset. */
export type Hl7Charset = 'utf-8' | 'gb18030' | 'gbk' | 'gb2312' | 'iso-8859-1' | 'ascii';

/** What we write in MSH-18 for each configured charset. */
export const MSH18_LABEL: Record<Hl7Charset, string> = {
  'utf-8': 'UNICODE UTF-8',
  gb18030: 'GB 18030-2000',
  gbk: 'GBK',
  gb2312: 'GB2312',
  'iso-8859-1': '8859/1',
  ascii: 'ASCII',
};

const ALIASES: Record<string, string> = {
  UNICODEUTF8: 'utf-8',
  UTF8: 'utf-8',
  GB180302000: 'gb18030',
  GB18030: 'gb18030',
  GBK: 'gb18030',
  GB2312: 'gb18030',
  CP936: 'gb18030',
  EUCCN: 'gb18030',
  // ASCII decoded as Latin-1: a stray high byte survives as a character instead of vanishing.
  ASCII: 'latin1',
  USASCII: 'latin1',
  BIG5: 'big5',
};

/**
 * The decoder name for an MSH-18 label; undefined if the label is empty. Throws nothing: an
 * unknown label returns null so the caller can report it with its location.
 */
export function decoderForLabel(label: string): string | undefined | null {
  const trimmed = label.trim();
  if (trimmed === '') return undefined;
  // No charset name is this long; iconv-lite is not asked about whatever else MSH-18 holds.
  if (trimmed.length > 40) return null;
  const key = trimmed.toUpperCase().replace(/[\s_-]/g, '');
  const alias = ALIASES[key];
  if (alias) return alias;
  const iso = /^(?:ISO)?8859[/-]?(\d{1,2})$/.exec(key);
  if (iso) return iso[1] === '1' ? 'latin1' : `iso-8859-${iso[1]}`;
  return iconv.encodingExists(trimmed) ? trimmed.toLowerCase() : null;
}

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });
const UTF8_LENIENT = new TextDecoder('utf-8');

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    UTF8_STRICT.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function decodeText(bytes: Uint8Array, decoder: string): string {
  if (decoder === 'utf-8') return UTF8_LENIENT.decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), decoder);
}

export function encodeText(text: string, charset: Hl7Charset): Uint8Array {
  if (charset === 'utf-8') return new TextEncoder().encode(text);
  const name = charset === 'iso-8859-1' ? 'latin1' : charset;
  const buffer = iconv.encode(text, name);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
