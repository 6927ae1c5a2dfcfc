/**
 * Turns what a clinician typed into FHIR Patient search parameters: identifiers (MRNs,
 * 身份证 numbers) by identifier, dates by birthdate, everything else by name (汉字 or pinyin).
 */
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const RESIDENT_ID = /^\d{17}[\dXx]$/;
/** Letters, digits and the usual separators, with at least one digit: "CDR-000001", "A12345". */
const IDENTIFIER_LIKE = /^(?=.*\d)[A-Za-z0-9][A-Za-z0-9._:/|-]*$/;

export interface PatientSearchParams {
  identifier?: string;
  birthdate?: string;
  name?: string;
}

export function classifyPatientQuery(text: string): PatientSearchParams {
  const tokens = text.trim().split(/[\s,，]+/).filter(Boolean);
  const params: PatientSearchParams = {};
  const nameParts: string[] = [];
  for (const token of tokens) {
    if (DATE.test(token)) params.birthdate = token;
    else if (RESIDENT_ID.test(token)) params.identifier = token.toUpperCase();
    else if (IDENTIFIER_LIKE.test(token)) params.identifier = token;
    else nameParts.push(token);
  }
  if (nameParts.length > 0) params.name = nameParts.join(' ');
  return params;
}

export function toSearchParams(params: PatientSearchParams): URLSearchParams {
  const search = new URLSearchParams();
  if (params.identifier) search.set('identifier', params.identifier);
  if (params.birthdate) search.set('birthdate', params.birthdate);
  if (params.name) search.set('name', params.name);
  return search;
}
