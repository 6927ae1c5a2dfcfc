import type { PatientFeatures } from './patient-features.ts';

/**
 * Blocking: only records that share at least one key are compared, so linking n records costs
 * far less than n²/2 comparisons. The keys are chosen so each kind of noise leaves at least one
 * intact: a birth-date typo keeps the name key, a name typo keeps the birth-date key, a
 * transposed name keeps the order-free initials, and strong identifiers and phones have keys of
 * their own.
 */
export function blockingKeys(f: PatientFeatures): string[] {
  const keys = new Set<string>();
  for (const r of f.residentIds) keys.add(`rid:${r.check.valid ? r.check.id : r.value}`);
  for (const s of f.strongIds) keys.add(`${s.kind}:${s.issuer}|${s.value}`);
  for (const m of f.mrns) keys.add(`mrn:${m}`);
  for (const p of f.phones) keys.add(`ph:${p}`);
  if (f.birthDate) keys.add(`bd:${f.birthDate}`);
  const year = f.birthDate?.slice(0, 4);
  const monthDay = f.birthDate?.length === 10 ? f.birthDate.slice(5) : undefined;
  for (const n of f.names) {
    // Order-free, so "Wei Zhang" meets "Zhang Wei".
    const parts = [n.family, n.given].filter(Boolean).sort();
    const name = parts.join('|');
    // A name alone would put every 张伟 in one block (n² comparisons); with the year or the day
    // of birth, a typo in either part of the date still leaves one key intact.
    if (year) keys.add(`ny:${name}|${year}`);
    if (monthDay) keys.add(`nd:${name}|${monthDay}`);
    keys.add(`${NAME_ONLY}${name}|${f.sex ?? ''}`);
    // A typo in the given name keeps the family name; a typo in the family name keeps the full birth date key.
    if (year && n.family) keys.add(`yf:${year}|${n.family}|${n.given[0] ?? ''}`);
    if (year && n.given) keys.add(`yf:${year}|${n.given}|${n.family[0] ?? ''}`);
  }
  return [...keys];
}

/**
 * Keys with this prefix pair a record only with records that lack a birth date: those have no
 * other demographic key to meet their namesakes by, and everyone else already has.
 */
export const NAME_ONLY = 'n-:';
