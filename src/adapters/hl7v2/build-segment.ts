/** One segment's text → Hl7Segment, split by the delimiters in force. */
import type { Hl7Delimiters } from './delimiters.ts';
import { Hl7ParseError } from './hl7-parse-error.ts';
import { Hl7Segment } from './hl7-message.ts';

export const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;
const HEADER_SEGMENTS = new Set(['MSH', 'FHS', 'BHS']);

export function buildSegment(line: string, index: number, d: Hl7Delimiters): Hl7Segment {
  const name = line.slice(0, 3);
  if (!SEGMENT_NAME.test(name) || (line.length > 3 && line.charAt(3) !== d.field)) {
    throw new Hl7ParseError(`"${line.slice(0, 12)}" does not start with a segment name and "${d.field}"`, { segmentIndex: index });
  }
  const parts = line.split(d.field);
  if (HEADER_SEGMENTS.has(name)) {
    // MSH-1 is the separator itself, so field n sits at parts[n - 1]: re-insert it.
    return new Hl7Segment(name, index, [name, d.field, ...parts.slice(1)], d);
  }
  return new Hl7Segment(name, index, parts, d);
}
