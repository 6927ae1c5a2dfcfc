import type { ClinicalTime } from '../lib/clinical-time.ts';
import { parseClinicalTime } from '../lib/clinical-time.ts';
import type { Locale } from './catalogs.ts';

/** Intl-backed formatting for one locale; formatters are built once per locale. */
export interface Formatter {
  locale: Locale;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  milliseconds(value: number): string;
  /** A FHIR date or dateTime at its own precision. */
  clinical(value: string | undefined): string;
  /** A full date and time, e.g. for fetchedAt. */
  dateTime(value: string | Date | undefined): string;
  /** Hours and minutes only, for rows under a day heading. */
  time(value: Date): string;
  /** A calendar date only. */
  date(value: string | Date | undefined): string;
  /** A day heading: date plus weekday. */
  dayHeading(time: ClinicalTime): string;
  /** Time only if today, else the date: for dense chips. */
  compact(value: string | undefined, now?: Date): string;
  /** "3 minutes ago"; falls back to dateTime for anything older than a week. */
  relative(value: string | undefined, now?: Date): string;
}

export function createFormatter(locale: Locale): Formatter {
  const dateFmt = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const dateTimeFmt = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const timeFmt = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const dayFmt = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' });
  const monthFmt = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long' });
  const yearFmt = new Intl.DateTimeFormat(locale, { year: 'numeric' });
  const msFmt = new Intl.NumberFormat(locale, { style: 'unit', unit: 'millisecond', unitDisplay: 'short', maximumFractionDigits: 0 });
  const secFmt = new Intl.NumberFormat(locale, { style: 'unit', unit: 'second', unitDisplay: 'short', maximumFractionDigits: 1 });
  const rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  const numberFmts = new Map<string, Intl.NumberFormat>();

  const toDate = (value: string | Date | undefined): Date | undefined => {
    if (value === undefined) return undefined;
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
    return parseClinicalTime(value)?.date;
  };

  const f: Formatter = {
    locale,
    number(value, options) {
      const key = JSON.stringify(options ?? {});
      let fmt = numberFmts.get(key);
      if (!fmt) {
        fmt = new Intl.NumberFormat(locale, options);
        numberFmts.set(key, fmt);
      }
      return fmt.format(value);
    },
    milliseconds(value) {
      return value >= 10_000 ? secFmt.format(value / 1000) : msFmt.format(value);
    },
    clinical(value) {
      const t = parseClinicalTime(value);
      if (!t) return value ?? '';
      switch (t.precision) {
        case 'year':
          return yearFmt.format(t.date);
        case 'month':
          return monthFmt.format(t.date);
        case 'day':
          return dateFmt.format(t.date);
        default:
          return dateTimeFmt.format(t.date);
      }
    },
    dateTime(value) {
      const d = toDate(value);
      return d ? dateTimeFmt.format(d) : '';
    },
    time(value) {
      return timeFmt.format(value);
    },
    date(value) {
      const d = toDate(value);
      return d ? dateFmt.format(d) : '';
    },
    dayHeading(time) {
      if (time.precision === 'year') return yearFmt.format(time.date);
      if (time.precision === 'month') return monthFmt.format(time.date);
      return dayFmt.format(time.date);
    },
    compact(value, now = new Date()) {
      const d = toDate(value);
      if (!d) return '';
      const sameDay = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
      return sameDay ? timeFmt.format(d) : dateFmt.format(d);
    },
    relative(value, now = new Date()) {
      const d = toDate(value);
      if (!d) return '';
      const seconds = Math.round((d.getTime() - now.getTime()) / 1000);
      const abs = Math.abs(seconds);
      if (abs < 60) return rel.format(seconds, 'second');
      if (abs < 3600) return rel.format(Math.round(seconds / 60), 'minute');
      if (abs < 86_400) return rel.format(Math.round(seconds / 3600), 'hour');
      if (abs < 7 * 86_400) return rel.format(Math.round(seconds / 86_400), 'day');
      return dateTimeFmt.format(d);
    },
  };
  return f;
}
