/**
 * Builds HL7 v2 text from structured values, escaping every leaf, so queries and ACKs carry
 * 汉字 names or "^" in free text without breaking the message.
 */
import { DEFAULT_DELIMITERS, encodingCharacters, fullyDeclared, type Hl7Delimiters } from './delimiters.ts';
import { escapeHl7 } from './escaping.ts';

export type Hl7Leaf = string | number | undefined | null;
/** A component: a plain value, or its subcomponents. */
export type Hl7ComponentInput = Hl7Leaf | readonly Hl7Leaf[];
/** A field value: a plain value, or its components. */
export type Hl7FieldValueInput = Hl7Leaf | readonly Hl7ComponentInput[];
/** A field: one value or several repetitions. */
export type Hl7FieldInput = Hl7FieldValueInput | { readonly repeat: readonly Hl7FieldValueInput[] };

export interface Hl7SegmentInput {
  name: string;
  /**
   * Fields from field 1 on. For MSH the list starts at MSH-3: MSH-1 and MSH-2 come from the
   * delimiters.
   */
  fields: readonly Hl7FieldInput[];
}

function leaf(value: Hl7Leaf, d: Hl7Delimiters): string {
  return value === undefined || value === null ? '' : escapeHl7(String(value), d);
}

function trimTrailing(parts: string[]): string[] {
  let end = parts.length;
  while (end > 0 && parts[end - 1] === '') end--;
  return parts.slice(0, end);
}

function encodeComponent(value: Hl7ComponentInput, d: Hl7Delimiters): string {
  if (Array.isArray(value)) return trimTrailing(value.map((v: Hl7Leaf) => leaf(v, d))).join(d.subcomponent);
  return leaf(value as Hl7Leaf, d);
}

function encodeValue(value: Hl7FieldValueInput, d: Hl7Delimiters): string {
  if (Array.isArray(value)) return trimTrailing(value.map((c: Hl7ComponentInput) => encodeComponent(c, d))).join(d.component);
  return leaf(value as Hl7Leaf, d);
}

function encodeField(value: Hl7FieldInput, d: Hl7Delimiters): string {
  if (value !== null && typeof value === 'object' && 'repeat' in value)
    return value.repeat.map((v) => encodeValue(v, d)).join(d.repetition);
  return encodeValue(value, d);
}

export function encodeSegment(segment: Hl7SegmentInput, d: Hl7Delimiters = DEFAULT_DELIMITERS): string {
  const fields = trimTrailing(segment.fields.map((f) => encodeField(f, d)));
  if (segment.name === 'MSH') return ['MSH', encodingCharacters(d), ...fields].join(d.field);
  return [segment.name, ...fields].join(d.field);
}

/**
 * Segments joined with CR, the HL7 segment terminator (a trailing CR ends the last one). An
 * answer to a message whose MSH-2 left separators out is written with the standard ones: an
 * encoder needs all four.
 */
export function encodeHl7(segments: readonly Hl7SegmentInput[], d: Hl7Delimiters = DEFAULT_DELIMITERS): string {
  const complete = fullyDeclared(d) ? d : DEFAULT_DELIMITERS;
  return segments.map((s) => encodeSegment(s, complete)).join('\r') + '\r';
}

/** "YYYYMMDDHHMMSS+ZZZZ" in the given UTC offset (minutes), as HL7 DTM. */
export function hl7Timestamp(date: Date, offsetMinutes = 480): string {
  const shifted = new Date(date.getTime() + offsetMinutes * 60_000);
  const iso = shifted.toISOString();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  return iso.slice(0, 19).replace(/[-:T]/g, '') + zone;
}
