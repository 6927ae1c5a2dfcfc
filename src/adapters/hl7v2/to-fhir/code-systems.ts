/**
 * HL7 v2 coding-system names (table 0396) → FHIR system URIs. Local codes ("L", "99xxx", or
 * names we do not know) keep their code under a URI naming the sending system, so a local
 * "GLU" from one LIS never merges with another's.
 */
const SYSTEMS: Record<string, string> = {
  LN: 'http://loinc.org',
  LOINC: 'http://loinc.org',
  SCT: 'http://snomed.info/sct',
  SNM: 'http://snomed.info/sct',
  SNOMEDCT: 'http://snomed.info/sct',
  I10: 'http://hl7.org/fhir/sid/icd-10',
  ICD10: 'http://hl7.org/fhir/sid/icd-10',
  I10C: 'http://hl7.org/fhir/sid/icd-10-cm',
  ICD10CM: 'http://hl7.org/fhir/sid/icd-10-cm',
  I9: 'http://hl7.org/fhir/sid/icd-9-cm',
  I9C: 'http://hl7.org/fhir/sid/icd-9-cm',
  ICD9: 'http://hl7.org/fhir/sid/icd-9-cm',
  UCUM: 'http://unitsofmeasure.org',
  ATC: 'http://www.whocc.no/atc',
  WHOATC: 'http://www.whocc.no/atc',
  RXNORM: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  RXN: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  CVX: 'http://hl7.org/fhir/sid/cvx',
  NDC: 'http://hl7.org/fhir/sid/ndc',
  CPT4: 'http://www.ama-assn.org/go/cpt',
  C4: 'http://www.ama-assn.org/go/cpt',
};

export interface CodeSystemContext {
  /** Base URI for local codes, e.g. "urn:huizhen:hl7v2:local:LIS". */
  localSystemBase: string;
}

export function systemFor(name: string, ctx: CodeSystemContext): string | undefined {
  const key = name
    .trim()
    .toUpperCase()
    .replace(/[\s_-]/g, '');
  if (key === '') return undefined;
  const known = SYSTEMS[key];
  if (known) return known;
  const table = /^HL7(\d{4})$/.exec(key);
  if (table) return `http://terminology.hl7.org/CodeSystem/v2-${table[1]}`;
  if (key.startsWith('URN:') || key.startsWith('HTTP')) return name.trim();
  // Old senders put text in the coding-system component: such codes are local.
  if (!/^[A-Za-z0-9_.-]{1,20}$/.test(name.trim())) return ctx.localSystemBase;
  return `${ctx.localSystemBase}:${encodeURIComponent(name.trim())}`;
}
