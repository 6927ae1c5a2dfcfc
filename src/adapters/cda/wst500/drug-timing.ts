/**
 * When a drug is taken, as a FHIR Timing: the frequency (药物使用频率 DE06.00.133.00, rateQuantity
 * where WS/T 500.4/.5 prescriptions put it, or a PIVL_TS effectiveTime as C-CDA writes it) and the
 * course (an IVL_TS effectiveTime: low/high, or a width).
 */
import type { CodeableConcept, Timing } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import type { EntryContext } from '../cda-entries.ts';
import { attr, child, children, readCd, readPeriod, readPq, textOf, xsiType } from '../../xml/index.ts';
import { readFrequency, type ReadFrequency } from './frequencies.ts';

/**
 * The frequency's wordings, most specific first: the 药物使用频率 element (DE06.00.133.00), then
 * rateQuantity, where WS/T 500.4/.5 prescriptions put 用药频率 (unit="bid", or a translation with
 * displayName="bid", or value + unit "次/日").
 */
function frequencyWordings(el: Element, frequency: Element | undefined): { wordings: string[]; coded?: CodeableConcept } {
  const freqValue = child(frequency, 'value');
  const rate = child(el, 'rateQuantity');
  const wordings = [
    attr(freqValue, 'displayName'),
    textOf(child(freqValue, 'originalText')),
    textOf(freqValue),
    attr(freqValue, 'code'),
    // A bare "次/日" is the unit of a count, not a wording of its own (perDay reads it).
    PER_DAY.test(attr(rate, 'unit') ?? '') ? undefined : attr(rate, 'unit'),
    ...children(rate ?? freqValue ?? el, 'translation').map((t) => attr(t, 'displayName')),
  ].filter((w): w is string => !!w);
  const coded = readCd(freqValue);
  return { wordings, ...(coded ? { coded } : {}) };
}

const PER_DAY = /^次?\/(日|天|d)$/;

/** rateQuantity as a count per day ("3" with unit 次/日): the only numeric frequency form seen. */
function perDay(el: Element): ReadFrequency {
  const rate = child(el, 'rateQuantity');
  const n = Number(attr(rate, 'value'));
  return PER_DAY.test(attr(rate, 'unit') ?? '') && Number.isInteger(n) && n > 0
    ? { repeat: { frequency: n, period: 1, periodUnit: 'd' } }
    : {};
}

/** Frequency (药物使用频率, rateQuantity or a PIVL_TS effectiveTime) and course (IVL_TS low/high/width) as a Timing. */
export function drugTiming(el: Element, frequency: Element | undefined, ctx: EntryContext): { timing?: Timing; asNeeded?: boolean } {
  const { wordings, coded } = frequencyWordings(el, frequency);
  const matched = wordings.map((w) => ({ w, r: readFrequency(w) })).find((x) => x.r.repeat || x.r.asNeeded);
  const read: ReadFrequency = matched?.r ?? perDay(el);
  const wording = matched?.w ?? wordings.find((w) => !/^\d+$/.test(w));
  const times = children(el, 'effectiveTime');
  const pivl = times.find((t) => xsiType(t) === 'PIVL_TS');
  const periodEl = child(pivl, 'period');
  const pivlPeriod = periodEl ? readPq(periodEl, ctx.read) : undefined;
  const course = times.find((t) => {
    const type = xsiType(t);
    return type === undefined || type === 'IVL_TS';
  });
  const bounds = readPeriod(course, ctx.read);
  const widthEl = child(course, 'width');
  const width = widthEl ? readPq(widthEl, ctx.read) : undefined;
  const repeat = {
    ...(read.repeat ?? {}),
    ...(pivlPeriod && !read.repeat ? { frequency: 1, period: pivlPeriod.value, periodUnit: pivlUnit(pivlPeriod.unit) } : {}),
    ...(bounds?.start || bounds?.end ? { boundsPeriod: bounds } : width ? { boundsDuration: width } : {}),
  };
  const hasRepeat = Object.keys(repeat).length > 0;
  const code: CodeableConcept | undefined = coded
    ? { ...coded, ...(coded.text ? {} : wording ? { text: wording } : {}) }
    : wording
      ? { text: wording }
      : undefined;
  if (!hasRepeat && !code) return read.asNeeded ? { asNeeded: true } : {};
  return {
    timing: { ...(hasRepeat ? { repeat: repeat as Timing['repeat'] } : {}), ...(code ? { code } : {}) },
    ...(read.asNeeded ? { asNeeded: true } : {}),
  };
}

type PeriodUnit = 's' | 'min' | 'h' | 'd' | 'wk' | 'mo' | 'a';
function pivlUnit(unit: string | undefined): PeriodUnit | undefined {
  return unit === 's' || unit === 'min' || unit === 'h' || unit === 'd' || unit === 'wk' || unit === 'mo' || unit === 'a'
    ? unit
    : undefined;
}
