/**
 * PACS patients as FHIR Patients. DICOMweb has no patient resource every server serves, so a
 * patient is collapsed from the patient attributes of their studies: PatientID (+ issuer),
 * PatientName's alphabetic and ideographic groups, birth date, sex, and other IDs.
 */
import type { HumanName, Identifier, Patient } from '@medplum/fhirtypes';
import { TAG, personName, sequence, text, texts, type DicomJsonDataset } from './dicom-json.ts';

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const EN_REPRESENTATION = 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation';
/** The PRC resident identity card's OID: as an issuer it marks a 身份证 number. */
const RESIDENT_ID_OID = '2.16.156.10011.1.3';
const OID = /^[0-2](\.(0|[1-9]\d*))+$/;

/** FHIR Identifier.system for an IssuerOfPatientID: OIDs as urn:oid, URIs as they are, names in our own namespace. */
export function issuerSystem(issuer: string | undefined, sourceId: string): string {
  if (!issuer) return `urn:huizhen:source:${sourceId}:patient-id`;
  if (OID.test(issuer)) return `urn:oid:${issuer}`;
  if (/^(urn|https?):/i.test(issuer)) return issuer;
  return `urn:huizhen:dicom-issuer:${encodeURIComponent(issuer)}`;
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const ENCODED_PREFIX = 'x-';

/** Patient.id for a PatientID: itself when FHIR allows it, else a reversible encoding. */
export function patientResourceId(patientId: string): string {
  if (FHIR_ID.test(patientId) && !patientId.startsWith(ENCODED_PREFIX)) return patientId;
  return ENCODED_PREFIX + Buffer.from(patientId, 'utf8').toString('base64url');
}

/** The PatientID behind a Patient.id from patientResourceId; undefined if it cannot be one. */
export function patientIdFromResourceId(id: string): string | undefined {
  if (!id.startsWith(ENCODED_PREFIX)) return FHIR_ID.test(id) ? id : undefined;
  const decoded = Buffer.from(id.slice(ENCODED_PREFIX.length), 'base64url').toString('utf8');
  return decoded.length > 0 && decoded.length <= 64 && patientResourceId(decoded) === id ? decoded : undefined;
}

/** "Zhang^Wei" → family Zhang, given [Wei]; "张^伟" likewise; "张伟" (no caret) stays text only. */
function humanName(group: string, representation: 'IDE' | 'SYL' | undefined): HumanName {
  const [family, ...rest] = group.split('^');
  const given = (rest[0] ?? '').split(' ').filter(Boolean);
  const middle = (rest[1] ?? '').split(' ').filter(Boolean);
  const name: HumanName = { use: 'official' };
  if (group.includes('^')) {
    if (family) name.family = family;
    if (given.length + middle.length > 0) name.given = [...given, ...middle];
    name.text = representation === 'IDE' ? `${family ?? ''}${given.join('')}` : [...given, ...middle, family].filter(Boolean).join(' ');
  } else {
    name.text = group;
  }
  if (representation) name.extension = [{ url: EN_REPRESENTATION, valueCode: representation }];
  return name;
}

const HAN = /\p{Script=Han}/u;

export function patientNames(ds: DicomJsonDataset): HumanName[] {
  const pn = personName(ds, TAG.PatientName);
  if (!pn) return [];
  const names: HumanName[] = [];
  // Ideographic first: it is how a Chinese patient's name is displayed.
  if (pn.ideographic) names.push(humanName(pn.ideographic, 'IDE'));
  if (pn.alphabetic) {
    // Some PACS put 汉字 in the alphabetic group; then it is the ideographic form.
    const han = HAN.test(pn.alphabetic);
    if (!(han && pn.ideographic)) names.push(humanName(pn.alphabetic, han ? 'IDE' : pn.ideographic ? 'SYL' : undefined));
  }
  return names;
}

function genderOf(sex: string | undefined): Patient['gender'] | undefined {
  switch (sex?.toUpperCase()) {
    case 'M':
      return 'male';
    case 'F':
      return 'female';
    case 'O':
      return 'other';
    default:
      return undefined;
  }
}

function birthDateOf(da: string | undefined): string | undefined {
  const m = da ? /^(\d{4})(\d{2})(\d{2})$/.exec(da) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

const ID_CARD_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** An 18-character 身份证 number with a valid GB 11643 (ISO 7064 MOD 11-2) check character. */
export function isResidentIdNumber(value: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(value)) return false;
  const sum = ID_CARD_WEIGHTS.reduce((n, w, i) => n + w * Number(value[i]), 0);
  return '10X98765432'[sum % 11] === value[17]!.toUpperCase();
}

function residentIdentifier(value: string): Identifier {
  return {
    use: 'official',
    type: { coding: [{ system: V2_0203, code: 'NNCHN', display: 'National Person Identifier (China)' }], text: '居民身份证' },
    system: `urn:oid:${RESIDENT_ID_OID}`,
    value: value.toUpperCase(),
  };
}

export function patientIdentifiers(ds: DicomJsonDataset, defaultIssuer: string | undefined, sourceId: string): Identifier[] {
  const patientId = text(ds, TAG.PatientID);
  const out: Identifier[] = [];
  if (patientId) {
    out.push({
      use: 'usual',
      type: { coding: [{ system: V2_0203, code: 'MR', display: 'Medical record number' }], text: 'PACS PatientID' },
      system: issuerSystem(text(ds, TAG.IssuerOfPatientID) ?? defaultIssuer, sourceId),
      value: patientId,
    });
  }
  for (const other of sequence(ds, TAG.OtherPatientIDsSequence)) {
    const value = text(other, TAG.PatientID);
    const issuer = text(other, TAG.IssuerOfPatientID);
    if (!value || !issuer) continue; // an ID without an issuer cannot be told apart from any other system's
    out.push(issuer === RESIDENT_ID_OID ? residentIdentifier(value) : { use: 'secondary', system: issuerSystem(issuer, sourceId), value });
  }
  // Other Patient IDs (0010,1000) has no issuer: only a checksum-valid 身份证 number is recognisable.
  for (const value of texts(ds, TAG.OtherPatientIDs).flatMap((v) => v.split('\\'))) {
    if (isResidentIdNumber(value) && !out.some((i) => i.value === value.toUpperCase() && i.system === `urn:oid:${RESIDENT_ID_OID}`))
      out.push(residentIdentifier(value));
  }
  return out;
}

/** One Patient per PatientID+issuer, from the study-level answers of a QIDO-RS search. */
export function collapsePatients(studies: readonly DicomJsonDataset[], defaultIssuer: string | undefined, sourceId: string): Patient[] {
  const byKey = new Map<string, Patient>();
  for (const study of studies) {
    const patientId = text(study, TAG.PatientID);
    if (!patientId) continue;
    const key = `${text(study, TAG.IssuerOfPatientID) ?? defaultIssuer ?? ''}|${patientId}`;
    const known = byKey.get(key);
    if (known) {
      // Studies of one patient may disagree (a later one adds the birth date): fill gaps only.
      known.birthDate ??= birthDateOf(text(study, TAG.PatientBirthDate));
      known.gender ??= genderOf(text(study, TAG.PatientSex));
      for (const id of patientIdentifiers(study, defaultIssuer, sourceId)) {
        if (!known.identifier?.some((k) => k.system === id.system && k.value === id.value))
          known.identifier = [...(known.identifier ?? []), id];
      }
      if ((known.name ?? []).length === 0) known.name = patientNames(study);
      continue;
    }
    const patient: Patient = {
      resourceType: 'Patient',
      id: patientResourceId(patientId),
      identifier: patientIdentifiers(study, defaultIssuer, sourceId),
    };
    const names = patientNames(study);
    if (names.length > 0) patient.name = names;
    const gender = genderOf(text(study, TAG.PatientSex));
    if (gender) patient.gender = gender;
    const birthDate = birthDateOf(text(study, TAG.PatientBirthDate));
    if (birthDate) patient.birthDate = birthDate;
    byKey.set(key, patient);
  }
  // Drop keys the ??= above left undefined, so the resources stay clean JSON.
  return [...byKey.values()].map((p) => JSON.parse(JSON.stringify(p)) as Patient);
}
