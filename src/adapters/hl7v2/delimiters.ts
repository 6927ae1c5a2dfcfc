/** The separators a message declares in MSH-1/MSH-2 (or FHS/BHS), which every later field obeys. */
import { Hl7ParseError } from './hl7-parse-error.ts';

export interface Hl7Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
  /** HL7 2.7+ truncation character (5th encoding character), when declared. */
  truncation?: string;
}

export const DEFAULT_DELIMITERS: Hl7Delimiters = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };

const HEADER_SEGMENTS = new Set(['MSH', 'FHS', 'BHS']);

/** The MSH-2 text for a set of delimiters: "^~\\&" (plus the truncation character if any). */
export function encodingCharacters(d: Hl7Delimiters): string {
  return d.component + d.repetition + d.escape + d.subcomponent + (d.truncation ?? '');
}

/**
 * Reads the delimiters from a header segment's first characters ("MSH|^~\\&|…"). They must be
 * distinct, printable and neither letters nor digits, or nothing after them can be split.
 */
export function readDelimiters(segmentText: string, segmentIndex: number): Hl7Delimiters {
  const name = segmentText.slice(0, 3);
  const location = { segment: name, segmentIndex, field: `${name}-2` };
  if (!HEADER_SEGMENTS.has(name)) throw new Hl7ParseError('expected a header segment (MSH, FHS or BHS)', { segmentIndex });
  const field = segmentText.charAt(3);
  if (!field) throw new Hl7ParseError('the field separator (MSH-1) is missing', { segment: name, segmentIndex, field: `${name}-1` });
  const end = segmentText.indexOf(field, 4);
  const chars = end < 0 ? segmentText.slice(4) : segmentText.slice(4, end);
  if (chars.length !== 4 && chars.length !== 5) {
    throw new Hl7ParseError(`encoding characters must be 4 (or 5) characters, got "${chars.slice(0, 10)}"`, location);
  }
  const all = [field, ...chars];
  if (new Set(all).size !== all.length) throw new Hl7ParseError('delimiters must be distinct', location);
  if (all.some((c) => /[A-Za-z0-9\s]/.test(c))) throw new Hl7ParseError('delimiters must not be letters, digits or whitespace', location);
  const [component, repetition, escape, subcomponent, truncation] = [...chars];
  return {
    field,
    component: component!,
    repetition: repetition!,
    escape: escape!,
    subcomponent: subcomponent!,
    ...(truncation ? { truncation } : {}),
  };
}
