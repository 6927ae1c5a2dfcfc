/**
 * HL7 v2 text → Hl7Message / Hl7Batch. Segments end with CR; LF and CRLF from vendors and
 * editors are accepted too, and MLLP framing bytes left in a file (0x0B before a message,
 * 0x1C 0x0D after it) end a segment like a CR. Structure errors throw Hl7ParseError naming
 * segment and field.
 */
import { readEnvelopes } from './batch-envelope.ts';
import { Hl7ParseError } from './hl7-parse-error.ts';
import type { Hl7Batch, Hl7Message } from './hl7-message.ts';
import { MLLP_END, MLLP_START } from './mllp-framing.ts';

const FRAME_START = String.fromCharCode(MLLP_START);
const FRAME_END = String.fromCharCode(MLLP_END);

/** MLLP's start and end bytes as segment ends. */
export function withoutFraming(text: string): string {
  return text.includes(FRAME_START) || text.includes(FRAME_END) ? text.replaceAll(FRAME_START, '\r').replaceAll(FRAME_END, '\r') : text;
}

/** Only whitespace and control characters: NUL padding or a DOS end-of-file mark (0x1A) after the last segment. */
function isBlank(line: string): boolean {
  const text = line.trim();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x20 && c !== 0x7f) return false;
  }
  return true;
}

/**
 * Splits into segment texts, dropping blank lines (control characters only, too), a leading
 * byte-order mark and the indentation of pasted files. VT and FS never belong to HL7 text (they
 * must be escaped), so taking them as segment ends loses nothing.
 */
export function splitSegments(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return withoutFraming(body)
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/^[ \t]+/, ''))
    .filter((line) => !isBlank(line));
}

/** Any number of messages, with or without batch and file envelopes. */
export function parseHl7Batch(text: string): Hl7Batch {
  const lines = splitSegments(text);
  if (lines.length === 0) throw new Hl7ParseError('empty message');
  return readEnvelopes(lines);
}

/** Exactly one message (a batch envelope around one message is accepted). */
export function parseHl7Message(text: string): Hl7Message {
  const batch = parseHl7Batch(text);
  const [first, ...rest] = batch.messages;
  if (!first) throw new Hl7ParseError('no MSH segment');
  if (rest.length > 0)
    throw new Hl7ParseError(`expected one message, found ${batch.messages.length}`, { segment: 'MSH', segmentIndex: rest[0]!.msh.index });
  return first;
}
