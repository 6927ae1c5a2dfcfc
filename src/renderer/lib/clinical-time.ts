/**
 * FHIR date/dateTime values come at several precisions ("2024", "2024-03", "2024-03-05",
 * "2024-03-05T14:02:00+08:00"). Date-only values are calendar dates, not instants: they must
 * never shift a day because of the workstation's time zone.
 */
export type TimePrecision = 'year' | 'month' | 'day' | 'time';

export interface ClinicalTime {
  /** Sort key in ms; for partial dates the local start of the period. */
  ms: number;
  precision: TimePrecision;
  /** Local calendar parts. */
  year: number;
  month: number; // 1-12
  day: number; // 1-31
  /** A Date for formatting (local midnight for date-only values). */
  date: Date;
}

const PARTIAL = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export function parseClinicalTime(value: string | undefined): ClinicalTime | undefined {
  if (!value) return undefined;
  const partial = PARTIAL.exec(value);
  if (partial) {
    const year = Number(partial[1]);
    const month = partial[2] ? Number(partial[2]) : undefined;
    const day = partial[3] ? Number(partial[3]) : undefined;
    if ((month !== undefined && (month < 1 || month > 12)) || (day !== undefined && (day < 1 || day > 31))) return undefined;
    const date = new Date(year, (month ?? 1) - 1, day ?? 1);
    return {
      ms: date.getTime(),
      precision: day !== undefined ? 'day' : month !== undefined ? 'month' : 'year',
      year,
      month: month ?? 1,
      day: day ?? 1,
      date,
    };
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  const date = new Date(ms);
  return { ms, precision: 'time', year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate(), date };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The bucket a time falls in: a local day, or a month/year for partial dates. */
export function bucketKey(time: ClinicalTime): string {
  switch (time.precision) {
    case 'year':
      return `${pad(time.year, 4)}`;
    case 'month':
      return `${pad(time.year, 4)}-${pad(time.month)}`;
    default:
      return `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}`;
  }
}
