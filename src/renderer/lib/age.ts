import { parseClinicalTime } from './clinical-time.ts';

export interface Age {
  value: number;
  unit: 'years' | 'months' | 'days';
  /** True when the birth date lacks a day or month, so the age may be off by one. */
  approximate: boolean;
}

/**
 * Age as Chinese clinical practice writes it: whole years from one year on, months under one
 * year, days under one month. Undefined for a missing, malformed or future birth date.
 */
export function computeAge(birthDate: string | undefined, now: Date = new Date()): Age | undefined {
  const birth = parseClinicalTime(birthDate);
  if (!birth) return undefined;
  const approximate = birth.precision === 'year' || birth.precision === 'month';
  const ny = now.getFullYear();
  const nm = now.getMonth() + 1;
  const nd = now.getDate();
  if (birth.year > ny || (birth.year === ny && (birth.month > nm || (birth.month === nm && birth.day > nd)))) {
    return undefined;
  }
  let months = (ny - birth.year) * 12 + (nm - birth.month);
  if (nd < birth.day) months -= 1;
  if (months >= 12) return { value: Math.floor(months / 12), unit: 'years', approximate };
  if (months >= 1) return { value: months, unit: 'months', approximate };
  const start = new Date(birth.year, birth.month - 1, birth.day);
  const today = new Date(ny, nm - 1, nd);
  const days = Math.round((today.getTime() - start.getTime()) / 86_400_000);
  return { value: days, unit: 'days', approximate };
}
