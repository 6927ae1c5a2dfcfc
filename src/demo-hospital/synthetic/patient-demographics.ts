/** Builds the Patient resources: who each synthetic person is, as the CDR records them. */
import type { HumanName, Identifier, Patient } from '@medplum/fhirtypes';
import { CDR_MRN_SYSTEM, DEMO_PATIENT } from './demo-patient.ts';
import { AREAS, CHINESE_GIVEN_NAMES, CHINESE_SURNAMES, ENGLISH_NAMES } from './name-pools.ts';
import type { Prng } from './prng.ts';
import { RESIDENT_ID_SYSTEM, buildResidentId } from './resident-id.ts';

/** Patients were registered before the history starts; fixed so ETags and _since are reproducible. */
const REGISTERED = { versionId: '1', lastUpdated: '2018-12-01T00:00:00.000Z' };
const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
/** Marks a HumanName as ideographic (汉字) or syllabic (pinyin), as FHIR R4 recommends. */
const EN_REPRESENTATION = 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation';

export type Sex = 'male' | 'female';

export interface Demographics {
  id: string;
  mrn: string;
  gender: Sex;
  birthDate: string;
  /** How the record is displayed: 汉字 for Chinese patients, "Given Family" for others. */
  displayName: string;
  chinese: boolean;
  residentId?: string;
}

function mrnIdentifier(mrn: string): Identifier {
  return {
    use: 'usual',
    type: { coding: [{ system: V2_0203, code: 'MR', display: 'Medical record number' }], text: '病案号' },
    system: CDR_MRN_SYSTEM,
    value: mrn,
  };
}

function residentIdentifier(value: string): Identifier {
  return {
    use: 'official',
    type: { coding: [{ system: V2_0203, code: 'NNCHN', display: 'National Person Identifier (China)' }], text: '居民身份证' },
    system: RESIDENT_ID_SYSTEM,
    value,
  };
}

function chineseNames(familyHanzi: string, givenHanzi: string, familyPinyin: string, givenPinyin: string): HumanName[] {
  return [
    {
      use: 'official',
      text: familyHanzi + givenHanzi,
      family: familyHanzi,
      given: [givenHanzi],
      extension: [{ url: EN_REPRESENTATION, valueCode: 'IDE' }],
    },
    {
      use: 'official',
      text: `${familyPinyin} ${givenPinyin}`,
      family: familyPinyin,
      given: [givenPinyin],
      extension: [{ url: EN_REPRESENTATION, valueCode: 'SYL' }],
    },
  ];
}

function randomBirthDate(prng: Prng): string {
  const year = prng.int(1940, 2001);
  const month = prng.int(1, 12);
  const day = prng.int(1, 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function phone(prng: Prng): string {
  return `1${prng.pick(['38', '39', '58', '86', '37'])}${String(prng.int(0, 99_999_999)).padStart(8, '0')}`;
}

export function mrnFor(index: number): string {
  return `CDR-${String(index + 1).padStart(6, '0')}`;
}

export function patientIdFor(index: number): string {
  return `pat-${String(index + 1).padStart(4, '0')}`;
}

export function buildDemoPatient(prng: Prng): { patient: Patient; demographics: Demographics } {
  const d = DEMO_PATIENT;
  const patient: Patient = {
    resourceType: 'Patient',
    id: d.fhirId,
    meta: { ...REGISTERED },
    identifier: [mrnIdentifier(d.mrn), residentIdentifier(d.residentId)],
    active: true,
    name: chineseNames(d.familyHanzi, d.givenHanzi, d.familyPinyin, d.givenPinyin),
    telecom: [{ system: 'phone', value: '13811112222', use: 'mobile' }],
    gender: d.gender,
    birthDate: d.birthDate,
    address: [{ use: 'home', text: '北京市东城区东华门大街1号', city: '北京市', district: '东城区', country: 'CN' }],
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'zh-CN' }], text: '中文' }, preferred: true }],
  };
  // Consume nothing from prng here: the demo patient must not shift the other patients' draws.
  void prng;
  return {
    patient,
    demographics: {
      id: d.fhirId,
      mrn: d.mrn,
      gender: d.gender,
      birthDate: d.birthDate,
      displayName: d.nameHanzi,
      chinese: true,
      residentId: d.residentId,
    },
  };
}

export function buildChinesePatient(prng: Prng, index: number, usedNames: Set<string>): { patient: Patient; demographics: Demographics } {
  const gender: Sex = prng.chance(0.5) ? 'male' : 'female';
  let family = prng.pick(CHINESE_SURNAMES);
  let given = prng.pick(CHINESE_GIVEN_NAMES[gender]);
  while (usedNames.has(family.hanzi + given.hanzi)) {
    family = prng.pick(CHINESE_SURNAMES);
    given = prng.pick(CHINESE_GIVEN_NAMES[gender]);
  }
  usedNames.add(family.hanzi + given.hanzi);
  const birthDate = randomBirthDate(prng);
  const area = prng.pick(AREAS);
  const residentId = buildResidentId({ areaCode: area.code, birthDate, gender }, prng.int(1, 998));
  const id = patientIdFor(index);
  const mrn = mrnFor(index);
  const patient: Patient = {
    resourceType: 'Patient',
    id,
    meta: { ...REGISTERED },
    identifier: [mrnIdentifier(mrn), residentIdentifier(residentId)],
    active: true,
    name: chineseNames(family.hanzi, given.hanzi, family.pinyin, given.pinyin),
    telecom: [{ system: 'phone', value: phone(prng), use: 'mobile' }],
    gender,
    birthDate,
    address: [{ use: 'home', text: `${area.city}${area.district}`, city: area.city, district: area.district, country: 'CN' }],
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'zh-CN' }], text: '中文' }, preferred: true }],
  };
  return { patient, demographics: { id, mrn, gender, birthDate, displayName: family.hanzi + given.hanzi, chinese: true, residentId } };
}

export function buildEnglishPatient(
  prng: Prng,
  index: number,
  gender: Sex,
  usedNames: Set<string>,
): { patient: Patient; demographics: Demographics } {
  let name = prng.pick(ENGLISH_NAMES[gender]);
  while (usedNames.has(name.given + name.family)) name = prng.pick(ENGLISH_NAMES[gender]);
  usedNames.add(name.given + name.family);
  const birthDate = randomBirthDate(prng);
  const id = patientIdFor(index);
  const mrn = mrnFor(index);
  const patient: Patient = {
    resourceType: 'Patient',
    id,
    meta: { ...REGISTERED },
    identifier: [mrnIdentifier(mrn)],
    active: true,
    name: [{ use: 'official', text: `${name.given} ${name.family}`, family: name.family, given: [name.given] }],
    telecom: [{ system: 'phone', value: phone(prng), use: 'mobile' }],
    gender,
    birthDate,
    address: [{ use: 'home', text: '上海市徐汇区', city: '上海市', district: '徐汇区', country: 'CN' }],
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'en' }], text: 'English' }, preferred: true }],
  };
  return { patient, demographics: { id, mrn, gender, birthDate, displayName: `${name.given} ${name.family}`, chinese: false } };
}
