/**
 * Identifier values. A 身份证 keeps its region code and its tail but never its birth date:
 * 110101196803120132 → 110101********0132; a 15-digit (pre-1999) number keeps at most its
 * 3-digit sequence at the end (110101680312013 → 110101******013), because its fourth-last digit
 * is part of the birth date. Other identifiers (MRNs, accession numbers) keep only a short tail,
 * never more than a third of the value (CDR-000001 → *******001), and none under 6 characters.
 */
import type { Identifier } from '@medplum/fhirtypes';
import type { PrivacyConfig } from '../../../shared/config/privacy.ts';
import { DEFAULT_PRIVACY_CONFIG } from '../../../shared/config/privacy.ts';
import { chars, stars } from './mask-chars.ts';

type IdOptions = Pick<PrivacyConfig, 'maskChar' | 'idKeepStart' | 'idKeepEnd'>;

const RESIDENT_ID_18 = /^\d{17}[\dXx]$/;
const RESIDENT_ID_15 = /^\d{15}$/;
/** Region (6) + birth date: the part of a 身份证 that always hides. */
const REGION_DIGITS = 6;

export function isResidentIdShape(value: string): boolean {
  const v = value.trim();
  return RESIDENT_ID_18.test(v) || RESIDENT_ID_15.test(v);
}

/** Masks a 身份证; anything that is not 15 or 18 characters of its shape is masked as a generic id. */
export function maskResidentId(value: string, options: IdOptions = DEFAULT_PRIVACY_CONFIG): string {
  const v = value.trim().toUpperCase();
  if (!isResidentIdShape(v)) return maskGenericId(v, options);
  const tailWithoutBirthDate = v.length === 18 ? 4 : 3;
  const keepStart = Math.min(options.idKeepStart, REGION_DIGITS);
  const keepEnd = Math.min(options.idKeepEnd, tailWithoutBirthDate);
  return v.slice(0, keepStart) + stars(v.length - keepStart - keepEnd, options.maskChar) + (keepEnd > 0 ? v.slice(-keepEnd) : '');
}

/** Shorter ids hide entirely: a tail of one or two characters would be most of what they say. */
const MIN_LENGTH_WITH_TAIL = 6;

/** MRNs and other ids: a tail of at most idKeepEnd characters and at most a third of the value. */
export function maskGenericId(value: string, options: IdOptions = DEFAULT_PRIVACY_CONFIG): string {
  const cs = chars(value.trim());
  if (cs.length === 0) return '';
  const keepEnd = cs.length < MIN_LENGTH_WITH_TAIL ? 0 : Math.min(options.idKeepEnd, Math.floor(cs.length / 3));
  return stars(cs.length - keepEnd, options.maskChar) + cs.slice(cs.length - keepEnd).join('');
}

/** Any identifier value: the 身份证 rule when it has a 身份证's shape, the generic rule otherwise. */
export function maskIdentifierValue(value: string | undefined, options: IdOptions = DEFAULT_PRIVACY_CONFIG): string {
  if (typeof value !== 'string') return '';
  return isResidentIdShape(value) ? maskResidentId(value, options) : maskGenericId(value, options);
}

/** A FHIR Identifier: the value masked; system, type and use kept (they say what kind of id it is). */
export function maskIdentifier(identifier: Identifier, options: IdOptions = DEFAULT_PRIVACY_CONFIG): Identifier {
  return identifier.value === undefined ? { ...identifier } : { ...identifier, value: maskIdentifierValue(identifier.value, options) };
}
