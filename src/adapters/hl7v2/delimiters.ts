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

/**
 * Stand-ins for the encoding characters a short MSH-2 leaves out ("^~}" declares no
 * subcomponent separator). Unicode noncharacters are reserved for internal use and never
 * appear in interchanged text, so splitting on them splits nothing: the part reads as one
 * value, which is what a sender that declared no such separator meant.
 */
const NOT_DECLARED = ['\uFDD0', '\uFDD1', '\uFDD2'] as const;

/** False when MSH-2 left out some of the separators (see NOT_DECLARED). */
export function fullyDeclared(d: Hl7Delimiters): boolean {
  return !(NOT_DECLARED as readonly string[]).includes(d.subcomponent);
}

/** The MSH-2 text for a set of delimiters: "^~\\&" (plus the truncation character if any). */
export function encodingCharacters(d: Hl7Delimiters): string {
  return [d.component, d.repetition, d.escape, d.subcomponent, d.truncation ?? '']
    .filter((c) => !(NOT_DECLARED as readonly string[]).includes(c))
    .join('');
}

const ROLES = [
  'field separator (MSH-1)',
  'component separator',
  'repetition separator',
  'escape character',
  'subcomponent separator',
  'truncation character',
];

/**
 * Reads the delimiters from a header segment's first characters ("MSH|^~\\&|…"). MSH-2 holds
 * 4 characters (5 from v2.7, the fifth the truncation character), all distinct, printable and
 * neither letters nor digits. A shorter MSH-2 ("^~}" in HAPI's own test messages) is read as
 * HAPI reads it in effect: the characters it leaves out are not used, so "&" in such a message
 * is data. An empty or longer MSH-2, or one that repeats a character, is refused with the
 * reason: splitting by it would silently misplace every field (HAPI splits by whatever four
 * characters follow MSH-1, unchecked).
 */
export function readDelimiters(segmentText: string, segmentIndex: number): Hl7Delimiters {
  const name = segmentText.slice(0, 3);
  const location = { segment: name, segmentIndex, field: `${name}-2` };
  if (!HEADER_SEGMENTS.has(name)) throw new Hl7ParseError('expected a header segment (MSH, FHS or BHS)', { segmentIndex });
  const field = segmentText.charAt(3);
  if (!field) throw new Hl7ParseError('the field separator (MSH-1) is missing', { segment: name, segmentIndex, field: `${name}-1` });
  const end = segmentText.indexOf(field, 4);
  const chars = end < 0 ? segmentText.slice(4) : segmentText.slice(4, end);
  const shown = JSON.stringify(chars.slice(0, 10));
  if (chars.length === 0 || chars.length > 5) {
    throw new Hl7ParseError(
      `encoding characters ${shown} are ${chars.length}; ${name}-2 must declare 4 (component, repetition, escape, subcomponent; a 5th, truncation, from v2.7)`,
      location,
    );
  }
  const all = [field, ...chars];
  const repeated = all.findIndex((c, i) => all.indexOf(c) !== i);
  if (repeated >= 0) {
    const first = all.indexOf(all[repeated]!);
    const hint = chars === '^~\\\\&' ? ' (a source-code string literal\'s "\\\\" copied as is? the standard characters are ^~\\&)' : '';
    throw new Hl7ParseError(
      `encoding characters ${shown} use "${all[repeated]}" as both ${ROLES[first]} and ${ROLES[repeated]}: delimiters must be distinct${hint}`,
      location,
    );
  }
  const bad = all.find((c) => /[A-Za-z0-9\s]/.test(c) || c.charCodeAt(0) < 0x20);
  if (bad !== undefined)
    throw new Hl7ParseError(
      `encoding characters ${shown}: delimiters must not be letters, digits, whitespace or control characters (found ${JSON.stringify(bad)})`,
      location,
    );
  const [component, repetition, escape, subcomponent, truncation] = [...chars];
  return {
    field,
    component: component!,
    repetition: repetition ?? NOT_DECLARED[0],
    escape: escape ?? NOT_DECLARED[1],
    subcomponent: subcomponent ?? NOT_DECLARED[2],
    ...(truncation ? { truncation } : {}),
  };
}
