/**
 * A labelled evaluation set for patient linking: synthetic people, each registered in one to
 * three hospital systems that write them differently, with the noise real registrations carry.
 * Deterministic from the seed. Every record knows its true person (personId) and which noise it
 * got, so precision and recall can be counted and failures explained.
 */
import type { HumanName, Identifier, Patient } from '@medplum/fhirtypes';
import type { SourcePatientRef } from '../../src/shared/domain/source.ts';
import { residentIdCheckChar } from '../../src/main/services/identity/resident-id.ts';
import { CITIES, COMMON_NAMES, GIVEN_SYLLABLES, STREETS, SURNAMES } from './name-pools.ts';
import { createPrng, type Prng } from './prng.ts';

export type NoiseKind =
  | 'latin-typo'
  | 'transliteration'
  | 'homophone'
  | 'swapped-names'
  | 'day-month-swap'
  | 'date-digit'
  | 'missing-birth-date'
  | 'missing-sex'
  | 'id-typo'
  | 'legacy-id'
  | 'address-variant';

export interface EvalRecord {
  ref: SourcePatientRef;
  patient: Patient;
  personId: number;
  noise: NoiseKind[];
}

export interface EvalSet {
  records: EvalRecord[];
  persons: number;
  /** How many persons are twins and how many carry a very common name. */
  twins: number;
  commonNamed: number;
}

type Sex = 'male' | 'female';

interface Person {
  id: number;
  family: { han: string; pinyin: string; homophones?: readonly string[]; variants?: readonly string[] };
  given: Array<{ han: string; pinyin: string; syllable: (typeof GIVEN_SYLLABLES)[number] }>;
  sex: Sex;
  birthDate: string;
  phone?: string;
  address?: { city: string; district: string; street: string; number: number; room: number };
  residentId: string;
  insurance?: string;
  mpi?: string;
}

const V2 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const RESIDENT_SYSTEM = 'urn:oid:2.16.156.10011.1.1';
const INSURANCE_SYSTEM = 'urn:oid:2.16.156.10011.1.9.110000';
const MPI_SYSTEM = 'urn:huizhen:empi';
const SYSTEMS = ['his', 'lis', 'cdr', 'emr', 'pacs'] as const;
type SystemId = (typeof SYSTEMS)[number];

function givenFor(prng: Prng, sex: Sex): Person['given'] {
  const pool = GIVEN_SYLLABLES.filter((s) => s[sex].length > 0);
  const count = prng.chance(0.4) ? 1 : 2;
  return Array.from({ length: count }, () => {
    const syllable = prng.pick(pool);
    return { han: prng.pick(syllable[sex]), pinyin: syllable.pinyin, syllable };
  });
}

function randomDate(prng: Prng): string {
  const y = prng.int(1935, 2020);
  const m = prng.int(1, 12);
  const d = prng.int(1, 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function residentId(area: string, birthDate: string, sex: Sex, prng: Prng): string {
  let seq = prng.int(0, 998);
  if ((seq % 2 === 1) !== (sex === 'male')) seq += 1;
  const first17 = area + birthDate.replaceAll('-', '') + String(seq).padStart(3, '0');
  return first17 + residentIdCheckChar(first17)!;
}

function newPerson(id: number, prng: Prng): Person {
  const common = prng.chance(0.08) ? prng.pick(COMMON_NAMES) : undefined;
  const sex: Sex = common?.sex ?? (prng.chance(0.5) ? 'male' : 'female');
  const family = common ? SURNAMES.find((s) => s.han === common.family)! : prng.pick(SURNAMES);
  const given = common
    ? common.given.map((han) => {
        const syllable = GIVEN_SYLLABLES.find((s) => s.male.includes(han) || s.female.includes(han))!;
        return { han, pinyin: syllable.pinyin, syllable };
      })
    : givenFor(prng, sex);
  const birthDate = randomDate(prng);
  const city = prng.pick(CITIES);
  return {
    id,
    family,
    given,
    sex,
    birthDate,
    phone: prng.chance(0.85)
      ? `1${prng.pick(['38', '39', '58', '86', '37', '50'])}${String(prng.int(0, 99_999_999)).padStart(8, '0')}`
      : undefined,
    address: prng.chance(0.8)
      ? {
          city: city.city,
          district: prng.pick(city.districts),
          street: prng.pick(STREETS),
          number: prng.int(1, 300),
          room: prng.int(101, 2504),
        }
      : undefined,
    residentId: residentId(city.area, birthDate, sex, prng),
    insurance: prng.chance(0.5) ? `YB${String(prng.int(0, 999_999_999)).padStart(10, '0')}` : undefined,
    mpi: prng.chance(0.3) ? `EMPI-${String(id).padStart(8, '0')}` : undefined,
  };
}

/** A twin: same family, birth date, household; a different given name (often sharing the generation character). */
function twinOf(id: number, p: Person, prng: Prng): Person {
  const sex: Sex = prng.chance(0.5) ? p.sex : p.sex === 'male' ? 'female' : 'male';
  let given = givenFor(prng, sex);
  if (p.given.length === 2 && prng.chance(0.6)) given = [p.given[0]!, givenFor(prng, sex)[0]!];
  while (given.map((g) => g.pinyin).join('') === p.given.map((g) => g.pinyin).join('')) given = givenFor(prng, sex);
  const area = p.residentId.slice(0, 6);
  let id18 = residentId(area, p.birthDate, sex, prng);
  while (id18 === p.residentId) id18 = residentId(area, p.birthDate, sex, prng);
  return { ...p, id, sex, given, residentId: id18, insurance: undefined, mpi: undefined };
}

function typo(word: string, prng: Prng): string {
  if (word.length < 3) return word;
  const i = prng.int(1, word.length - 2);
  const kind = prng.int(0, 2);
  if (kind === 0) return word.slice(0, i) + word.slice(i + 1);
  if (kind === 1) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  return word.slice(0, i) + prng.pick([...'aeiounghl']) + word.slice(i + 1);
}

function noisyDate(date: string, noise: NoiseKind[], prng: Prng): string | undefined {
  if (prng.chance(0.04)) {
    noise.push('missing-birth-date');
    return undefined;
  }
  const [y, m, d] = date.split('-') as [string, string, string];
  if (Number(d) <= 12 && m !== d && prng.chance(0.04)) {
    noise.push('day-month-swap');
    return `${y}-${d}-${m}`;
  }
  if (prng.chance(0.04)) {
    noise.push('date-digit');
    const digits = date.replaceAll('-', '').split('');
    const i = prng.pick([3, 5, 7]); // last digits of year, month, day: stays a real date
    digits[i] = String((Number(digits[i]) + prng.pick([1, 9])) % 10);
    const s = digits.join('');
    const candidate = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
    return Number.isNaN(Date.parse(candidate)) || s.slice(4, 6) === '00' || s.slice(6, 8) === '00' || Number(s.slice(4, 6)) > 12
      ? date
      : candidate;
  }
  return date;
}

function phoneFormat(phone: string, prng: Prng): string {
  return prng.pick([
    phone,
    `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`,
    `+86-${phone}`,
    `0086 ${phone}`,
    `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`,
  ]);
}

function addressText(a: NonNullable<Person['address']>, noise: NoiseKind[], prng: Prng): string {
  const full = `${a.city}${a.district}${a.street}${a.number}号${Math.floor(a.room / 100)}楼${a.room}室`;
  if (!prng.chance(0.3)) return full;
  noise.push('address-variant');
  return prng.pick([
    `${a.city.replace('市', '')}${a.district}${a.street}${a.number}号`,
    `${a.district}${a.street}${a.number}号${a.room}室`,
    `${a.city} ${a.district} ${a.street} ${a.number}号`,
  ]);
}

/** How each system writes names: 汉字, pinyin, or both, and in which style. */
function names(system: SystemId, p: Person, noise: NoiseKind[], prng: Prng): HumanName[] {
  let givenHan = p.given.map((g) => g.han).join('');
  let familyHan = p.family.han;
  if (prng.chance(0.04)) {
    // An input-method slip: a character with the same reading.
    noise.push('homophone');
    const i = prng.int(0, p.given.length - 1);
    const alternatives = [...p.given[i]!.syllable.male, ...p.given[i]!.syllable.female].filter((c) => c !== p.given[i]!.han);
    if (alternatives.length > 0) givenHan = p.given.map((g, k) => (k === i ? prng.pick(alternatives) : g.han)).join('');
    else if (p.family.homophones) familyHan = prng.pick(p.family.homophones);
  }
  let familyLatin = p.family.pinyin;
  let givenLatin = p.given.map((g, k) => (k === 0 ? g.pinyin : g.pinyin.toLowerCase())).join(prng.chance(0.2) ? '-' : '');
  if (p.family.variants && prng.chance(0.05)) {
    noise.push('transliteration');
    familyLatin = prng.pick(p.family.variants);
  }
  if (prng.chance(0.06)) {
    noise.push('latin-typo');
    if (prng.chance(0.5)) givenLatin = typo(givenLatin, prng);
    else familyLatin = typo(familyLatin, prng);
  }
  const han: HumanName = prng.chance(0.5)
    ? { use: 'official', family: familyHan, given: [givenHan] }
    : { use: 'official', text: familyHan + givenHan };
  let latin: HumanName;
  if (prng.chance(0.05)) {
    noise.push('swapped-names');
    latin = { use: 'official', family: givenLatin, given: [familyLatin] };
  } else {
    latin = prng.pick<HumanName>([
      { use: 'official', family: familyLatin, given: [givenLatin] },
      { use: 'official', text: `${givenLatin} ${familyLatin}` },
      { use: 'official', text: `${familyLatin.toUpperCase()} ${givenLatin}` },
    ]);
  }
  switch (system) {
    case 'lis':
      return [han];
    case 'his':
    case 'cdr':
      return [han, latin];
    case 'emr':
      return prng.chance(0.5) ? [latin] : [han];
    case 'pacs':
      return [{ use: 'official', text: `${familyLatin.toUpperCase()} ${givenLatin.toUpperCase()}` }];
  }
}

function identifier(code: string, text: string, system: string, value: string): Identifier {
  return { type: { coding: [{ system: V2, code }], text }, system, value };
}

function recordOf(p: Person, system: SystemId, serial: number, prng: Prng): EvalRecord {
  const noise: NoiseKind[] = [];
  const identifiers: Identifier[] = [identifier('MR', `MRN (${system})`, `urn:huizhen:${system}:mrn`, `${system.toUpperCase()}${serial}`)];
  if (prng.chance(0.45)) {
    let value = p.residentId;
    const roll = prng.next();
    if (roll < 0.05) {
      noise.push('id-typo');
      const i = prng.int(14, 16);
      value = value.slice(0, i) + String((Number(value[i]) + 1) % 10) + value.slice(i + 1);
    } else if (roll < 0.1 && p.birthDate < '1999-12-31') {
      noise.push('legacy-id');
      value = value.slice(0, 6) + value.slice(8, 17);
    }
    identifiers.push(identifier('NNCHN', '居民身份证', RESIDENT_SYSTEM, value));
  }
  if (p.insurance && prng.chance(0.5)) identifiers.push(identifier('SB', '医保号', INSURANCE_SYSTEM, p.insurance));
  if (p.mpi && prng.chance(0.5)) identifiers.push(identifier('PI', 'EMPI', MPI_SYSTEM, p.mpi));
  const sexMissing = prng.chance(0.04);
  if (sexMissing) noise.push('missing-sex');
  const patient: Patient = {
    resourceType: 'Patient',
    id: `${system}-${serial}`,
    identifier: identifiers,
    name: names(system, p, noise, prng),
    gender: sexMissing ? undefined : p.sex,
    birthDate: noisyDate(p.birthDate, noise, prng),
    telecom: p.phone && prng.chance(0.7) ? [{ system: 'phone', value: phoneFormat(p.phone, prng) }] : undefined,
    address: p.address && prng.chance(0.6) ? [{ text: addressText(p.address, noise, prng) }] : undefined,
  };
  return { ref: { sourceId: system, sourcePatientId: patient.id! }, patient, personId: p.id, noise };
}

/** A PIX manager's answer: one record listing the person's MRNs in several systems. */
function crossReference(p: Person, records: readonly EvalRecord[], serial: number): EvalRecord {
  const mrns = records.map((r) => r.patient.identifier![0]!);
  const patient: Patient = {
    resourceType: 'Patient',
    id: `pix-${serial}`,
    identifier: [identifier('PI', 'PIX', 'urn:huizhen:pix', `PIX${serial}`), ...mrns],
    name: [{ family: p.family.han, given: [p.given.map((g) => g.han).join('')] }],
  };
  return { ref: { sourceId: 'pix', sourcePatientId: patient.id! }, patient, personId: p.id, noise: [] };
}

export function generateEvalSet(options: { seed: number; targetRecords: number }): EvalSet {
  const prng = createPrng(options.seed);
  const records: EvalRecord[] = [];
  let persons = 0;
  let twins = 0;
  let commonNamed = 0;
  let serial = 0;
  const register = (p: Person): void => {
    const count = prng.pick([1, 1, 1, 2, 2, 2, 2, 3, 3, 3]);
    const systems = [...SYSTEMS].sort(() => prng.next() - 0.5).slice(0, count);
    const own = systems.map((s) => recordOf(p, s, ++serial, prng));
    records.push(...own);
    if (own.length >= 2 && prng.chance(0.05)) records.push(crossReference(p, own, ++serial));
    if (COMMON_NAMES.some((c) => c.family === p.family.han && c.given.join('') === p.given.map((g) => g.han).join(''))) commonNamed++;
  };
  while (records.length < options.targetRecords) {
    const p = newPerson(persons++, prng);
    register(p);
    if (prng.chance(0.03)) {
      register(twinOf(persons++, p, prng));
      twins += 2;
    }
  }
  return { records, persons, twins, commonNamed };
}
