/**
 * China's resident identity card number (居民身份证号码, GB 11643-1999): 6-digit area code,
 * 8-digit birth date, 3-digit sequence (odd = male, even = female) and an ISO 7064 MOD 11-2
 * check character. The legacy 15-digit form (before 1999) has a 2-digit year and no check
 * character; it is upgraded by inserting "19" and computing one.
 *
 * The demo hospital has its own generator; production code keeps this validator separate so
 * it never depends on demo data.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/**
 * Province-level prefixes of GB/T 2260 plus 81/82/83 (residence permits of Hong Kong, Macao and
 * Taiwan residents). The full county table changes every year; checking the province still
 * rejects about two thirds of random digit strings without shipping a table that goes stale.
 */
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

export type ResidentIdProblem = 'format' | 'check-digit' | 'area' | 'birth-date';

export interface ValidResidentId {
  valid: true;
  /** The 18-character form, check character upper-case. */
  id: string;
  areaCode: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'male' | 'female';
  upgradedFrom15: boolean;
}

export interface InvalidResidentId {
  valid: false;
  problem: ResidentIdProblem;
}

export type ResidentIdCheck = ValidResidentId | InvalidResidentId;

/** A birth date or sex the number encodes that the record carrying it contradicts. */
export interface ResidentIdMismatch {
  field: 'birth-date' | 'sex';
  encoded: string;
  recorded: string;
}

/** The ISO 7064 MOD 11-2 check character for the first 17 digits, or undefined if they are not 17 digits. */
export function residentIdCheckChar(first17: string): string | undefined {
  if (!/^\d{17}$/.test(first17)) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11];
}

/** The 18-digit form of a legacy 15-digit number (all of which were issued to people born 1900–1999). */
export function upgradeLegacyResidentId(id15: string): string | undefined {
  if (!/^\d{15}$/.test(id15)) return undefined;
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + residentIdCheckChar(first17)!;
}

function isRealDate(iso: string): boolean {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
}

/** Validates a number as written on a record (spaces and a lower-case x tolerated). */
export function checkResidentId(raw: string, today: Date = new Date()): ResidentIdCheck {
  const compact = raw.replace(/[\s-]/g, '').toUpperCase();
  let id = compact;
  let upgradedFrom15 = false;
  if (/^\d{15}$/.test(compact)) {
    id = upgradeLegacyResidentId(compact)!;
    upgradedFrom15 = true;
  } else if (!/^\d{17}[\dX]$/.test(compact)) {
    return { valid: false, problem: 'format' };
  }
  if (!upgradedFrom15 && residentIdCheckChar(id.slice(0, 17)) !== id[17]) {
    return { valid: false, problem: 'check-digit' };
  }
  if (!PROVINCES.has(id.slice(0, 2))) {
    return { valid: false, problem: 'area' };
  }
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isRealDate(birthDate) || birthDate < '1900-01-01' || birthDate > today.toISOString().slice(0, 10)) {
    return { valid: false, problem: 'birth-date' };
  }
  return { valid: true, id, areaCode: id.slice(0, 6), birthDate, sex: Number(id[16]) % 2 === 1 ? 'male' : 'female', upgradedFrom15 };
}

/**
 * Where a valid number contradicts the record carrying it. A mismatch usually means the number
 * was typed into the wrong patient's record (or the record's birth date is wrong), so links that
 * rest on it deserve less trust.
 */
export function residentIdMismatches(id: ValidResidentId, record: { birthDate?: string; sex?: string }): ResidentIdMismatch[] {
  const problems: ResidentIdMismatch[] = [];
  if (record.birthDate && record.birthDate.length === 10 && record.birthDate !== id.birthDate) {
    problems.push({ field: 'birth-date', encoded: id.birthDate, recorded: record.birthDate });
  }
  if ((record.sex === 'male' || record.sex === 'female') && record.sex !== id.sex) {
    problems.push({ field: 'sex', encoded: id.sex, recorded: record.sex });
  }
  return problems;
}
