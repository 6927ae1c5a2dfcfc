/**
 * China's 18-digit resident identity card number (居民身份证号码, GB 11643-1999):
 * 6-digit administrative area code, 8-digit birth date, 3-digit sequence (odd = male,
 * even = female) and an ISO 7064 MOD 11-2 check character.
 */

/** Identifier.system used for 身份证 numbers across the demo hospital (OID for the PRC resident ID card). */
/** 居民身份证号 as WS/T 500 (互联互通 shared documents) identifies it. */
export const RESIDENT_ID_SYSTEM = 'urn:oid:2.16.156.10011.1.3';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return CHECK_CHARS[sum % 11] as string;
}

export interface ResidentIdParts {
  areaCode: string;
  /** YYYY-MM-DD */
  birthDate: string;
  gender: 'male' | 'female';
}

export function buildResidentId(parts: ResidentIdParts, sequence: number): string {
  if (!/^\d{6}$/.test(parts.areaCode)) throw new RangeError('area code must be 6 digits');
  // The sequence's last digit carries the sex: make it odd for men and even for women.
  let seq = Math.max(0, Math.min(999, Math.trunc(sequence)));
  const wantOdd = parts.gender === 'male';
  if ((seq % 2 === 1) !== wantOdd) seq = seq === 999 ? 998 : seq + 1;
  const first17 = parts.areaCode + parts.birthDate.replaceAll('-', '') + String(seq).padStart(3, '0');
  return first17 + residentIdCheckChar(first17);
}

/** Decodes a valid number, or returns undefined when the format, date or check character is wrong. */
export function parseResidentId(value: string): ResidentIdParts | undefined {
  const id = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return undefined;
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) return undefined;
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const date = new Date(`${birthDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== birthDate) return undefined;
  return { areaCode: id.slice(0, 6), birthDate, gender: Number(id[16]) % 2 === 1 ? 'male' : 'female' };
}
