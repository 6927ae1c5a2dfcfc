/**
 * Epoch milliseconds of a FHIR date or dateTime in its common exact forms, read digit by digit:
 * "YYYY-MM-DD" and "YYYY-MM-DDThh:mm[:ss[.sss]](Z|±hh:mm)". Date.parse costs ~350 ns a call and a
 * 100,000-entry timeline parses every clinical time once per build; this is ~10× cheaper.
 * Anything else (other fraction lengths, no offset = local time, out-of-range fields, years
 * before 1000) returns undefined so the caller asks Date.parse — the fast path never decides a
 * case differently from it (a property test compares the two).
 */
export function fastIsoEpochMs(s: string): number | undefined {
  const n = s.length;
  if (n !== 10 && n < 17) return undefined;
  const year = digits4(s, 0);
  if (year < 1000 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const month = digits2(s, 5);
  const day = digits2(s, 8);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const date = daysFromCivil(year, month, day) * 86_400_000;
  if (n === 10) return date;
  if (s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58) return undefined;
  const hour = digits2(s, 11);
  const minute = digits2(s, 14);
  if (hour > 23 || minute > 59) return undefined;
  let i = 16;
  let second = 0;
  let ms = 0;
  if (s.charCodeAt(i) === 58) {
    second = digits2(s, i + 1);
    if (second > 59) return undefined;
    i += 3;
    if (s.charCodeAt(i) === 46) {
      ms = digits3(s, i + 1);
      if (ms < 0 || isDigit(s.charCodeAt(i + 4))) return undefined;
      i += 4;
    }
  }
  let offset: number;
  const sign = s.charCodeAt(i);
  if (sign === 90 && i + 1 === n) offset = 0;
  else if ((sign === 43 || sign === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58) {
    const oh = digits2(s, i + 1);
    const om = digits2(s, i + 4);
    if (oh > 23 || om > 59) return undefined;
    offset = (sign === 43 ? 1 : -1) * (oh * 60 + om) * 60_000;
  } else return undefined;
  return date + ((hour * 60 + minute) * 60 + second) * 1000 + ms - offset;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The number the digits spell, or a large negative number when any is not a digit. */
function digits2(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1e9;
}

function digits3(s: string, at: number): number {
  const a = digits2(s, at);
  const c = s.charCodeAt(at + 2) - 48;
  return a >= 0 && c >= 0 && c <= 9 ? a * 10 + c : -1e9;
}

function digits4(s: string, at: number): number {
  const a = digits2(s, at);
  const b = digits2(s, at + 2);
  return a >= 0 && b >= 0 ? a * 100 + b : -1e9;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
