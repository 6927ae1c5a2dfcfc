/**
 * How the HIS and the LIS know the synthetic patients: the same people as the CDR, each system
 * with its own MRN scheme and the identity noise real hospitals have (a name registered in
 * pinyin only, a missing birth date, a 身份证 never captured at the lab). Derived from the
 * generated data by position, never re-randomized, so tests can name the noisy patients.
 */
import type { Patient } from '@medplum/fhirtypes';
import { CDR_MRN_SYSTEM } from '../synthetic/demo-patient.ts';
import { RESIDENT_ID_SYSTEM } from '../synthetic/resident-id.ts';
import type { SyntheticHospital } from '../synthetic/synthetic-hospital.ts';

export const HIS_MRN_SYSTEM = 'urn:huizhen:demo-hospital:his:mrn';
export const LIS_MRN_SYSTEM = 'urn:huizhen:demo-hospital:lis:mrn';
/** PID-3.4 (HD) of each identifier domain: namespace & universal id & its type. */
export const AUTHORITIES = {
  his: ['HIS', HIS_MRN_SYSTEM, 'URI'],
  lis: ['LIS', LIS_MRN_SYSTEM, 'URI'],
  cdr: ['CDR', CDR_MRN_SYSTEM, 'URI'],
  residentId: ['CN-RID', RESIDENT_ID_SYSTEM.replace(/^urn:oid:/, ''), 'ISO'],
} as const;

/** 张伟's MRNs; stable because the demo patient is always the first generated. */
export const HIS_DEMO_MRN = 'H1000001';
export const LIS_DEMO_MRN = 'L202500001';

/** Which patient (by generation order) carries which identity noise. */
export const IDENTITY_NOISE = {
  /** The HIS registered this patient under the pinyin name only. */
  hisPinyinOnly: 2,
  /** The LIS never recorded this patient's birth date. */
  lisNoBirthDate: 3,
  /** The LIS never captured this patient's 身份证. */
  lisNoResidentId: 4,
} as const;

export interface PersonName {
  family: string;
  given: string;
  /** XPN-8: I ideographic (汉字), P phonetic (pinyin), A alphabetic. */
  representation: 'I' | 'P' | 'A';
}

export interface SystemIdentity {
  /** Generation order: 0 is the demo patient. */
  index: number;
  cdrId: string;
  cdrMrn: string;
  hisMrn: string;
  lisMrn: string;
  residentId?: string;
  names: PersonName[];
  gender: 'male' | 'female';
  birthDate: string;
  phone?: string;
  address?: { line: string; city: string; district: string };
}

export function hisMrnFor(index: number): string {
  return `H${String(1_000_001 + index * 37).padStart(7, '0')}`;
}

export function lisMrnFor(index: number): string {
  return `L2025${String(index + 1).padStart(5, '0')}`;
}

function namesOf(patient: Patient): PersonName[] {
  return (patient.name ?? []).map((n) => {
    const rep = n.extension?.find((e) => e.url.endsWith('EN-representation'))?.valueCode;
    return { family: n.family ?? '', given: n.given?.join(' ') ?? '', representation: rep === 'IDE' ? 'I' : rep === 'SYL' ? 'P' : 'A' };
  });
}

/** Everyone the CDR knows, as the HIS/LIS base record before each system's noise. */
export function deriveIdentities(data: SyntheticHospital): SystemIdentity[] {
  const patients = data.resources.filter((r): r is Patient => r.resourceType === 'Patient');
  return patients.map((patient, index) => {
    const residentId = patient.identifier?.find((i) => i.system === RESIDENT_ID_SYSTEM)?.value;
    const cdrMrn = patient.identifier?.find((i) => i.system === CDR_MRN_SYSTEM)?.value ?? '';
    const addr = patient.address?.[0];
    const city = addr?.city ?? '';
    const district = addr?.district ?? '';
    const line = (addr?.text ?? '').replace(city, '').replace(district, '');
    const phone = patient.telecom?.find((t) => t.system === 'phone')?.value;
    return {
      index,
      cdrId: patient.id ?? '',
      cdrMrn,
      hisMrn: hisMrnFor(index),
      lisMrn: lisMrnFor(index),
      ...(residentId ? { residentId } : {}),
      names: namesOf(patient),
      gender: patient.gender === 'female' ? 'female' : 'male',
      birthDate: patient.birthDate ?? '',
      ...(phone ? { phone } : {}),
      ...(addr ? { address: { line, city, district } } : {}),
    };
  });
}

/** "2021-04-05T09:30:00+08:00" → "20210405093000+0800"; dates → "YYYYMMDD". */
export function toHl7Time(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, zone] = m;
  if (!h) return `${y}${mo}${d}`;
  const z = zone === 'Z' || !zone ? '+0000' : zone.replace(':', '');
  return `${y}${mo}${d}${h}${mi}${s}${z}`;
}
