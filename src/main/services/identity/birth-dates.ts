/** How two birth dates relate, with FHIR's partial dates (YYYY, YYYY-MM) allowed. */
export type BirthDateAgreement =
  | { level: 'exact' }
  | { level: 'typo'; how: 'one-digit' | 'day-month-swapped' | 'adjacent-digits-swapped' }
  | { level: 'partial' }
  | { level: 'disagree' }
  | { level: 'missing' };

const FULL = /^\d{4}-\d{2}-\d{2}$/;

export function compareBirthDates(a: string | undefined, b: string | undefined): BirthDateAgreement {
  if (!a || !b) return { level: 'missing' };
  if (a === b) return { level: 'exact' };
  if (!FULL.test(a) || !FULL.test(b)) {
    // A partial date agrees with a full one when it is its prefix: that is all it can say.
    const common = Math.min(a.length, b.length);
    return a.slice(0, common) === b.slice(0, common) ? { level: 'partial' } : { level: 'disagree' };
  }
  // Index arithmetic on "YYYY-MM-DD" rather than splitting: this runs for every compared pair.
  if (a.slice(0, 5) === b.slice(0, 5) && a[5] === b[8] && a[6] === b[9] && a[8] === b[5] && a[9] === b[6]) {
    return { level: 'typo', how: 'day-month-swapped' };
  }
  let first = -1;
  let count = 0;
  for (let i = 0; i < 10; i++) {
    if (a.charCodeAt(i) === b.charCodeAt(i)) continue;
    if (count++ === 0) first = i;
    if (count > 2) break;
  }
  if (count === 1) return { level: 'typo', how: 'one-digit' };
  if (count === 2 && a[first + 1] !== '-' && a[first] === b[first + 1] && a[first + 1] === b[first]) {
    return { level: 'typo', how: 'adjacent-digits-swapped' };
  }
  return { level: 'disagree' };
}
