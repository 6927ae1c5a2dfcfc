/** Code systems a receiver can interpret without the sender's local table, by name. */
const STANDARD_SYSTEM =
  /loinc|snomed|icd-?10|icd-?9|icd-?11|\/sid\/icd|unitsofmeasure|rxnorm|atc|cvx|dicom\.nema|terminology\.hl7\.org|hl7\.org\/fhir/i;

/**
 * The same systems named by OID, as CDA and HL7 v3 documents name them: HL7's registry (LOINC,
 * SNOMED CT, ICD-9-CM, ICD-10, ICD-10-CM, RxNorm, UCUM, ATC, CVX, DICOM) and China's health
 * information registry for WS/T 500 documents (2.16.156.10011.2.3.3.11 ICD-10 国家临床版,
 * .12 ICD-9-CM-3 手术操作, .14 GB/T 15657 中医病证).
 */
const STANDARD_OID = new Set([
  '2.16.840.1.113883.6.1',
  '2.16.840.1.113883.6.96',
  '2.16.840.1.113883.6.103',
  '2.16.840.1.113883.6.104',
  '2.16.840.1.113883.6.3',
  '2.16.840.1.113883.6.90',
  '2.16.840.1.113883.6.88',
  '2.16.840.1.113883.6.8',
  '2.16.840.1.113883.6.73',
  '2.16.840.1.113883.12.292',
  '1.2.840.10008.2.16.4',
  '2.16.156.10011.2.3.3.11',
  '2.16.156.10011.2.3.3.12',
  '2.16.156.10011.2.3.3.14',
]);

/** Codes of ICD-10 and its national editions start with a letter and two digits (A00, J18.9). */
const ICD10_OIDS = new Set(['2.16.840.1.113883.6.3', '2.16.840.1.113883.6.90', '2.16.156.10011.2.3.3.11']);
const ICD10_SHAPE = /^[A-Z]\d{2}/i;

function oidOf(system: string): string | undefined {
  const oid = system.startsWith('urn:oid:') ? system.slice(8) : system;
  return /^\d+(\.\d+)+$/.test(oid) ? oid : undefined;
}

interface SystemAnswer {
  standard: boolean;
  oid: string | undefined;
}

/** A record repeats a handful of system URIs: each is tested once (its OID too, asked of every coding). */
const answers = new Map<string, SystemAnswer>();

function answerFor(system: string): SystemAnswer {
  let answer = answers.get(system);
  if (answer === undefined) {
    const oid = oidOf(system);
    answer = { standard: oid !== undefined ? STANDARD_OID.has(oid) : STANDARD_SYSTEM.test(system), oid };
    if (answers.size > 10_000) answers.clear();
    answers.set(system, answer);
  }
  return answer;
}

export function isStandardSystem(system: string | undefined): boolean {
  return system !== undefined && answerFor(system).standard;
}

/**
 * A coding a receiver can interpret: a standard system, and — for systems named by OID, where
 * documents often carry a placeholder such as "1" — a code of three characters or more, of
 * ICD-10's shape for ICD-10.
 */
export function isStandardCoding(system: string | undefined, code: string | undefined): boolean {
  if (system === undefined) return false;
  const { standard, oid } = answerFor(system);
  if (!standard) return false;
  if (oid === undefined) return true;
  const value = code?.trim() ?? '';
  return value.length >= 3 && (!ICD10_OIDS.has(oid) || ICD10_SHAPE.test(value));
}
