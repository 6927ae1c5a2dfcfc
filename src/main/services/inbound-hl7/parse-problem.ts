/**
 * Turns the adapter's typed parse/convert errors into what an ACK says: an HL7 error code and
 * an ERR-2 location with the segment's occurrence (ERL counts occurrences of that segment, the
 * parser counts lines).
 */
import type { Hl7ParseError } from '../../../adapters/hl7v2/hl7-parse-error.ts';
import type { AckProblem, ErrorLocation } from './inbound-ack.ts';

const FIELD = /^([A-Z][A-Z0-9]{2})-(\d+)/;

/** The segment names of a message's lines, in order: what ERR-2's sequence is counted over. */
export function segmentNamesOf(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => line.replace(/^\uFEFF/, '').slice(0, 3));
}

function locationOf(error: Hl7ParseError, segmentNames: readonly string[]): ErrorLocation | undefined {
  const field = error.field ? FIELD.exec(error.field) : null;
  const segment = error.segment ?? field?.[1] ?? (error.segmentIndex !== undefined ? segmentNames[error.segmentIndex] : undefined);
  if (!segment) return undefined;
  const sequence =
    error.segmentIndex !== undefined
      ? segmentNames.slice(0, error.segmentIndex + 1).filter((name) => name === segment).length || undefined
      : undefined;
  return { segment, ...(sequence ? { sequence } : {}), ...(field ? { field: Number(field[2]) } : {}) };
}

export function problemFromParseError(error: Hl7ParseError, segmentNames: readonly string[]): AckProblem {
  const location = locationOf(error, segmentNames);
  const errorCode = /missing|required|no MSH/i.test(error.reason) ? '101' : error.field ? '102' : '100';
  return { errorCode, text: error.message, ...(location ? { location } : {}) };
}

/** MSH-10 read straight from the raw bytes, for the ACK of a message that does not parse. */
export function peekControlId(frame: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(frame.subarray(0, 4096));
  const match = /MSH(.)/.exec(head);
  if (!match) return '';
  const start = match.index + 4;
  const lineEnd = head.slice(start).search(/[\r\n]/);
  const fields = (lineEnd < 0 ? head.slice(start) : head.slice(start, start + lineEnd)).split(match[1]!);
  // fields[0] is MSH-2, so MSH-10 is fields[8]; only a plain id is echoed back.
  const id = fields[8] ?? '';
  return /^[A-Za-z0-9._:-]{1,64}$/.test(id) ? id : '';
}
