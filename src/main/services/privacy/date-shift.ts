/**
 * Moves FHIR dates by a whole number of days, keeping each value's precision and time-zone
 * text: a shifted date still reads as a date of the same kind, and intervals between events
 * of one export are preserved. Year and year-month values are left as they are (a day shift
 * cannot be applied to them without inventing precision).
 */

const DATE_OR_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;
const DAY_MS = 86_400_000;

export function isShiftableDate(value: string): boolean {
  return DATE_OR_DATETIME.test(value);
}

export function shiftDate(value: string, days: number): string {
  const m = DATE_OR_DATETIME.exec(value);
  if (!m || days === 0) return value;
  const base = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(base)) return value;
  const shifted = new Date(base + days * DAY_MS).toISOString().slice(0, 10);
  return shifted + (m[4] ?? '');
}
