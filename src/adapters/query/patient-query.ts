/**
 * Turns what a clinician typed into patient search parameters: identifiers (MRNs, 身份证
 * numbers) by identifier, dates by birthdate, everything else by name (汉字 or pinyin).
 *
 * A typed query can mean more than one thing: "H1000001" is an MRN, "Johnnie679" is a name as
 * Synthea and some registration systems write it, "CDR000001" might be either. So a query has
 * one or more *readings*; a source asks each and merges the hits, and every token the
 * clinician typed is used by at least one reading (none is dropped because another token
 * looked like an identifier too).
 */
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const RESIDENT_ID = /^\d{17}[\dXx]$/;
/** Letters, digits and the usual separators, with at least one digit: "CDR-000001", "A12345". */
const IDENTIFIER_LIKE = /^(?=.*\d)[A-Za-z0-9][A-Za-z0-9._:/|-]*$/;
/** A word of at least two letters with digits appended or mixed in, and no separators. */
const NAME_WITH_DIGITS = /^(?=.*\d)(?=(?:.*[A-Za-z]){2})[A-Za-z0-9]+$/;
/** Bounds the fan-out of one typed query: each reading is a request to every source. */
const MAX_READINGS = 4;

export interface PatientSearchParams {
  identifier?: string;
  birthdate?: string;
  name?: string;
}

interface Tokens {
  identifiers: string[];
  /** Tokens that read as an identifier or as a name word. */
  either: string[];
  names: string[];
  birthdate?: string;
}

function tokenize(text: string): Tokens {
  const out: Tokens = { identifiers: [], either: [], names: [] };
  for (const token of text
    .trim()
    .split(/[\s,，]+/)
    .filter(Boolean)) {
    if (DATE.test(token) && out.birthdate === undefined) out.birthdate = token;
    else if (RESIDENT_ID.test(token)) out.identifiers.push(token.toUpperCase());
    else if (NAME_WITH_DIGITS.test(token)) out.either.push(token);
    else if (IDENTIFIER_LIKE.test(token)) out.identifiers.push(token);
    else out.names.push(token);
  }
  return out;
}

/** The readings of a typed query, most specific first; [] when nothing is searchable. */
export function patientQueryReadings(text: string): PatientSearchParams[] {
  const t = tokenize(text);
  const birth = t.birthdate ? { birthdate: t.birthdate } : {};
  const readings: PatientSearchParams[] = [];
  const names = t.names.join(' ');
  for (const identifier of [...t.identifiers, ...t.either]) {
    readings.push({ identifier, ...birth, ...(names ? { name: names } : {}) });
  }
  const nameWords = [...t.names, ...t.either];
  if (t.identifiers.length === 0 && nameWords.length > 0) readings.push({ ...birth, name: nameWords.join(' ') });
  else if (t.either.length > 0) readings.push({ ...birth, name: nameWords.join(' ') });
  if (readings.length === 0 && t.birthdate) readings.push(birth);
  return readings.slice(0, MAX_READINGS);
}

/** The most specific reading (what a single-query protocol asks first). */
export function classifyPatientQuery(text: string): PatientSearchParams {
  return patientQueryReadings(text)[0] ?? {};
}

export function toSearchParams(params: PatientSearchParams): URLSearchParams {
  const search = new URLSearchParams();
  if (params.identifier) search.set('identifier', params.identifier);
  if (params.birthdate) search.set('birthdate', params.birthdate);
  // Each word on its own (FHIR ANDs repeated parameters): a server matches `name` against one
  // part of the name at a time, so "Johnnie679 Hermiston71" as one string matches nobody.
  for (const word of params.name?.split(/\s+/).filter(Boolean) ?? []) search.append('name', word);
  return search;
}
