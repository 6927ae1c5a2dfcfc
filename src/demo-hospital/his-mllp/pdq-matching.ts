/** IHE PDQ matching as a HIS does it: every given parameter must match (AND). */
import type { Hl7Segment } from '../../adapters/hl7v2/hl7-message.ts';
import type { HisPatient } from './his-patients.ts';

export interface PdqCriteria {
  identifier?: string;
  family?: string;
  given?: string;
  /** YYYYMMDD */
  birthDate?: string;
  sex?: string;
}

const FIELD_KEYS: Record<string, keyof PdqCriteria> = {
  '@PID.3.1': 'identifier',
  '@PID.3': 'identifier',
  '@PID.5.1.1': 'family',
  '@PID.5.1': 'family',
  '@PID.5.2': 'given',
  '@PID.7.1': 'birthDate',
  '@PID.7': 'birthDate',
  '@PID.8': 'sex',
};

/** QPD-3 of QBP^Q22, or undefined when it asks for a field we do not search on. */
export function readPdqCriteria(qpd: Hl7Segment): PdqCriteria | { unsupported: string } {
  const criteria: PdqCriteria = {};
  for (const rep of qpd.repetitions(3)) {
    const field = (rep[0]?.[0] ?? '').trim().toUpperCase();
    const value = (rep[1]?.[0] ?? '').trim();
    if (!field || !value) continue;
    const key = FIELD_KEYS[field];
    if (!key) return { unsupported: field };
    criteria[key] = value;
  }
  return criteria;
}

const lower = (s: string): string => s.toLocaleLowerCase('en');

export function matches(patient: HisPatient, c: PdqCriteria): boolean {
  const v = patient.view;
  if (Object.values(c).every((x) => !x)) return false;
  if (c.identifier && !v.identifiers.some((i) => lower(i.value) === lower(c.identifier!))) return false;
  if (c.birthDate && !(v.birthDate ?? '').replace(/-/g, '').startsWith(c.birthDate)) return false;
  if (c.sex && (v.gender === 'female' ? 'F' : 'M') !== c.sex.toUpperCase()) return false;
  if (c.family || c.given) {
    const hit = v.names.some(
      (n) => (!c.family || lower(n.family) === lower(c.family)) && (!c.given || lower(n.given).startsWith(lower(c.given))),
    );
    if (!hit) return false;
  }
  return true;
}
