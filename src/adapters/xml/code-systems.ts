/**
 * HL7 v3 names code systems and identifier namespaces by OID; FHIR prefers canonical URIs.
 * Known terminologies map to their FHIR URI, everything else stays `urn:oid:<oid>` so no
 * information is lost and a later mapping can still recognise it.
 */
const OID_TO_URI: Readonly<Record<string, string>> = {
  '2.16.840.1.113883.6.1': 'http://loinc.org',
  '2.16.840.1.113883.6.96': 'http://snomed.info/sct',
  '2.16.840.1.113883.6.3': 'http://hl7.org/fhir/sid/icd-10',
  '2.16.840.1.113883.6.90': 'http://hl7.org/fhir/sid/icd-10-cm',
  '2.16.840.1.113883.6.103': 'http://hl7.org/fhir/sid/icd-9-cm',
  '2.16.840.1.113883.6.88': 'http://www.nlm.nih.gov/research/umls/rxnorm',
  '2.16.840.1.113883.6.8': 'http://unitsofmeasure.org',
  '2.16.840.1.113883.6.73': 'http://www.whocc.no/atc',
  '2.16.840.1.113883.6.69': 'http://hl7.org/fhir/sid/ndc',
  '2.16.840.1.113883.12.292': 'http://hl7.org/fhir/sid/cvx',
  '2.16.840.1.113883.5.4': 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  '2.16.840.1.113883.5.83': 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  '2.16.840.1.113883.5.1': 'http://terminology.hl7.org/CodeSystem/v3-AdministrativeGender',
  '2.16.840.1.113883.5.25': 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  '2.16.840.1.113883.5.6': 'http://terminology.hl7.org/CodeSystem/v3-ActClass',
  '2.16.840.1.113883.5.111': 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
};

/** WS/T 500 document type codes (卫生信息共享文档规范编码体系). */
export const WST500_DOCUMENT_CODES_OID = '2.16.156.10011.2.4';
/** China's ICD-10 editions as WS/T 500 documents code diagnoses (疾病代码表 ICD-10). */
export const CHINA_ICD10_OIDS: ReadonlySet<string> = new Set([
  '2.16.156.10011.2.3.3.11',
  '2.16.156.10011.2.3.3.11.3',
  '2.16.156.10011.2.3.3.11.5',
]);
/** GB/T 2261.1 sex codes (生理性别代码表): 1 male, 2 female, 0 unknown, 9 unspecified. */
export const GBT2261_SEX_OID = '2.16.156.10011.2.3.3.4';

const OID = /^[0-2](\.(0|[1-9]\d*))+$/;

export function isOid(value: string): boolean {
  return OID.test(value);
}

export function systemForOid(oid: string | undefined): string | undefined {
  if (!oid) return undefined;
  const known = OID_TO_URI[oid];
  if (known) return known;
  // Some senders already put a URI or a UUID (root="2F3A…") in codeSystem/root.
  if (isOid(oid)) return `urn:oid:${oid}`;
  if (/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(oid)) return `urn:uuid:${oid.toLowerCase()}`;
  return oid;
}

export function isIcd10System(oid: string | undefined): boolean {
  return oid !== undefined && (oid === '2.16.840.1.113883.6.3' || oid === '2.16.840.1.113883.6.90' || CHINA_ICD10_OIDS.has(oid));
}
