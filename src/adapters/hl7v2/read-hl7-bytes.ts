/**
 * Bytes → text → messages. The charset comes from MSH-18 of the first message; without it the
 * configured one is used, and bytes that are not valid UTF-8 under a UTF-8 default (or under an
 * MSH-18 that says UTF-8) are read as GB18030, since Chinese HIS commonly send GBK without saying so.
 */
import { gb18030Instead } from '../legacy-chinese-text.ts';
import { decodeText, decoderForLabel, isValidUtf8 } from './charsets.ts';
import { Hl7ParseError } from './hl7-parse-error.ts';
import type { Hl7Batch, Hl7Message } from './hl7-message.ts';
import { parseHl7Batch, parseHl7Message, withoutFraming } from './parse-hl7.ts';

export interface ReadOptions {
  /** Decoder used when MSH-18 is empty (default "utf-8"). */
  fallbackCharset?: string;
}

/** MSH-18 as written: the header fields are ASCII in every charset HL7 allows. */
export function peekMsh18(bytes: Uint8Array): string {
  const head = withoutFraming(new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 64 * 1024))));
  const match = /(?:^|[\r\n])[ \t]*(?:\uFEFF|\u00EF\u00BB\u00BF)?MSH(.)/.exec(head);
  if (!match) return '';
  const sep = match[1]!;
  const start = match.index + match[0].length;
  const lineEnd = head.slice(start).search(/[\r\n]/);
  const fields = (lineEnd < 0 ? head.slice(start) : head.slice(start, start + lineEnd)).split(sep);
  // fields[0] is MSH-2, so MSH-n is fields[n - 2].
  const repetition = fields[0]?.charAt(1) || '~';
  return (fields[16] ?? '').split(repetition)[0] ?? '';
}

export function decodeHl7Bytes(bytes: Uint8Array, options: ReadOptions = {}): { text: string; charset: string } {
  let body = bytes;
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3);
  const label = peekMsh18(body);
  const named = decoderForLabel(label);
  if (named === null)
    throw new Hl7ParseError(`character set "${label.slice(0, 40)}" is not supported`, { segment: 'MSH', field: 'MSH-18' });
  let charset = named ?? options.fallbackCharset ?? 'utf-8';
  if (!named && charset === 'utf-8' && !isValidUtf8(body)) charset = 'gb18030';
  // Interface engines copy "UNICODE UTF-8" into MSH-18 while the HIS writes GBK: read as UTF-8,
  // every Chinese name would turn into U+FFFD. UTF-8 with one bad byte stays UTF-8.
  else if (named === 'utf-8' && !isValidUtf8(body) && gb18030Instead(body) !== undefined) charset = 'gb18030';
  return { text: decodeText(body, charset), charset };
}

/** Internal slips become Hl7ParseError too: callers rely on nothing else escaping. */
function guarded<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof Hl7ParseError) throw error;
    throw new Hl7ParseError(
      `unreadable message (${error instanceof Error ? error.message.slice(0, 120) : 'unknown error'})`,
      {},
      { cause: error },
    );
  }
}

export function readHl7Message(bytes: Uint8Array, options: ReadOptions = {}): Hl7Message {
  return guarded(() => parseHl7Message(decodeHl7Bytes(bytes, options).text));
}

export function readHl7Batch(bytes: Uint8Array, options: ReadOptions = {}): Hl7Batch {
  return guarded(() => parseHl7Batch(decodeHl7Bytes(bytes, options).text));
}
