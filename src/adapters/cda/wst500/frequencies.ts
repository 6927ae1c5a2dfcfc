/**
 * Dosing frequencies as Chinese prescriptions write them (药物使用频率, DE06.00.133.00: the value's
 * displayName or code from 药物使用频次代码表 2.16.156.10011.2.3.1.267 is the Latin abbreviation or
 * its Chinese wording) → FHIR Timing.repeat. The abbreviations are the Latin ones Chinese
 * prescriptions conventionally use (qd, bid, tid, q8h, qn, prn …, as in the public WS/T 500 samples);
 * an unknown wording keeps only its text (Timing.code.text), never a guessed schedule.
 */
import type { TimingRepeat } from '@medplum/fhirtypes';

const DAY = (frequency: number): TimingRepeat => ({ frequency, period: 1, periodUnit: 'd' });
const EVERY_HOURS = (hours: number): TimingRepeat => ({ frequency: 1, period: hours, periodUnit: 'h' });

const BY_WORDING: Readonly<Record<string, TimingRepeat>> = {
  qd: DAY(1),
  每日一次: DAY(1),
  一日一次: DAY(1),
  每天一次: DAY(1),
  bid: DAY(2),
  每日两次: DAY(2),
  每日二次: DAY(2),
  一日两次: DAY(2),
  一日二次: DAY(2),
  每天两次: DAY(2),
  tid: DAY(3),
  每日三次: DAY(3),
  一日三次: DAY(3),
  每天三次: DAY(3),
  qid: DAY(4),
  每日四次: DAY(4),
  一日四次: DAY(4),
  每天四次: DAY(4),
  qn: { frequency: 1, period: 1, periodUnit: 'd', when: ['NIGHT'] },
  每晚一次: { frequency: 1, period: 1, periodUnit: 'd', when: ['NIGHT'] },
  hs: { frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] },
  睡前: { frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] },
  qm: { frequency: 1, period: 1, periodUnit: 'd', when: ['MORN'] },
  qod: { frequency: 1, period: 2, periodUnit: 'd' },
  隔日一次: { frequency: 1, period: 2, periodUnit: 'd' },
  qw: { frequency: 1, period: 1, periodUnit: 'wk' },
  每周一次: { frequency: 1, period: 1, periodUnit: 'wk' },
  biw: { frequency: 2, period: 1, periodUnit: 'wk' },
  每周两次: { frequency: 2, period: 1, periodUnit: 'wk' },
  tiw: { frequency: 3, period: 1, periodUnit: 'wk' },
  qh: EVERY_HOURS(1),
  q2h: EVERY_HOURS(2),
  q4h: EVERY_HOURS(4),
  q6h: EVERY_HOURS(6),
  q8h: EVERY_HOURS(8),
  q12h: EVERY_HOURS(12),
  每8小时一次: EVERY_HOURS(8),
  每12小时一次: EVERY_HOURS(12),
  st: { count: 1 },
  stat: { count: 1 },
  立即: { count: 1 },
  once: { count: 1 },
  一次: { count: 1 },
};

const AS_NEEDED = new Set(['prn', 'sos', '必要时', '需要时']);

export interface ReadFrequency {
  repeat?: TimingRepeat;
  asNeeded?: boolean;
}

/** "BID", "bid", "Bid.", "每日两次" → repeat; "prn"/"必要时" → asNeeded; anything else → {}. */
export function readFrequency(wording: string | undefined): ReadFrequency {
  if (!wording) return {};
  const key = wording.trim().replace(/[.。\s]/g, '');
  const lower = key.toLowerCase();
  if (AS_NEEDED.has(lower)) return { asNeeded: true };
  const repeat = BY_WORDING[lower] ?? BY_WORDING[key];
  return repeat ? { repeat: { ...repeat } } : {};
}
