/**
 * Issue 14 item 8, the screen's side: the value the core sends as data (entry.value; the core's
 * reading is tested in test/unit/main/services/timeline/observation-values.test.ts) is worded in the
 * reader's language on the timeline row and in the labs table.
 */
import { describe, expect, it } from 'vitest';
import type { ObservationValue } from '../../../../src/shared/domain/observation-value.ts';
import { entryView } from '../../../../src/renderer/features/timeline/entry-view.ts';
import { buildLabTable } from '../../../../src/renderer/features/labs/labs-model.ts';
import { observationValueText } from '../../../../src/renderer/i18n/observation-value-text.ts';
import { translate, type Locale, type MessageKey, type MessageParams } from '../../../../src/renderer/i18n/catalogs.ts';
import { createFormatter } from '../../../../src/renderer/i18n/format.ts';
import { entry } from '../fixtures.ts';

const text = (locale: Locale) => ({ t: (k: MessageKey, p?: MessageParams) => translate(locale, k, p), fmt: createFormatter(locale) });
const mmHg = (value: number) => ({ type: 'quantity' as const, quantity: { value, unit: 'mm[Hg]' } });

/** What the core sends for Synthea's blood pressure panel (diastolic first, as Synthea writes it). */
const BLOOD_PRESSURE: ObservationValue = {
  type: 'components',
  components: [
    { label: 'Diastolic Blood Pressure', loinc: '8462-4', value: mmHg(82) },
    { label: 'Systolic Blood Pressure', loinc: '8480-6', value: mmHg(141), abnormal: true },
  ],
};

function rowValue(value: ObservationValue, locale: Locale = 'zh-CN'): string {
  return entryView(text(locale), entry('o1', '2024-05-02T08:00:00+08:00', { value, summary: 'neutral summary' })).value;
}

describe('the timeline row words every value[x]', () => {
  it('blood pressure components: 收缩压/舒张压 in Chinese, systolic/diastolic in English, mmHg', () => {
    expect(rowValue(BLOOD_PRESSURE)).toBe('收缩压/舒张压 141/82 mmHg');
    expect(rowValue(BLOOD_PRESSURE, 'en')).toBe('systolic/diastolic 141/82 mmHg');
  });

  it('other components each with their name', () => {
    expect(
      rowValue({
        type: 'components',
        components: [
          { label: 'SBP', loinc: '8480-6', value: mmHg(120) },
          { label: '体位', value: { type: 'string', value: '坐位' } },
        ],
      }),
    ).toBe('收缩压 120 mmHg · 体位 坐位');
  });

  it('components win over the lab value beside them, which they show as their main value', () => {
    const value: ObservationValue = {
      type: 'components',
      main: { type: 'quantity', quantity: { value: 7, unit: 'kPa' } },
      components: [{ label: 'pO2', value: { type: 'quantity', quantity: { value: 12, unit: 'kPa' } } }],
    };
    const withLab = entry('o2', '2024-05-02T08:00:00+08:00', { value, lab: { value: 7, unit: 'kPa' } });
    expect(entryView(text('zh-CN'), withLab).value).toBe('7 kPa · pO2 12 kPa');
  });

  it('boolean, integer, time, dateTime, string, concept', () => {
    expect(rowValue({ type: 'boolean', value: true })).toBe('是');
    expect(rowValue({ type: 'boolean', value: false }, 'en')).toBe('No');
    expect(rowValue({ type: 'integer', value: 12000 })).toBe('12000');
    expect(rowValue({ type: 'time', value: '07:30:00' })).toBe('07:30');
    expect(rowValue({ type: 'dateTime', value: '2024-04-30' })).toBe(text('zh-CN').fmt.clinical('2024-04-30'));
    expect(rowValue({ type: 'string', value: '阴性' })).toBe('阴性');
    expect(rowValue({ type: 'concept', text: 'Positive', code: '10828004' })).toBe('Positive');
  });

  it('period, ratio (a titre), range, sampled data', () => {
    const zh = text('zh-CN');
    expect(rowValue({ type: 'period', start: '2024-05-01', end: '2024-05-02' })).toBe(
      `${zh.fmt.clinical('2024-05-01')} 至 ${zh.fmt.clinical('2024-05-02')}`,
    );
    expect(rowValue({ type: 'period', start: '2024-05-01' }, 'en')).toBe(`from ${text('en').fmt.clinical('2024-05-01')}`);
    expect(rowValue({ type: 'ratio', numerator: { value: 1 }, denominator: { value: 128 } })).toBe('1:128');
    expect(rowValue({ type: 'ratio', numerator: { value: 3, unit: 'mg' }, denominator: { value: 1, unit: 'kg' } })).toBe('3 mg/1 kg');
    expect(rowValue({ type: 'range', low: { value: 5, unit: 'umol/L' }, high: { value: 10, unit: 'umol/L' } })).toBe('5–10 µmol/L');
    const wave: ObservationValue = { type: 'sampled', samples: 3, periodMs: 10, dimensions: 1, unit: 'mV', min: 1, max: 3 };
    expect(rowValue(wave)).toBe('波形 3 个采样点，间隔 10 ms，1–3 mV');
    expect(rowValue(wave, 'en')).toBe('waveform, 3 samples 10 ms apart, 1–3 mV');
  });
});

describe('the labs table shows results that are not a plain quantity', () => {
  it('a titre and a coded result get rows, worded by the screen', () => {
    const lab = { category: [{ coding: [{ code: 'laboratory' }] }] };
    const titre = entry('t1', '2024-05-02T08:00:00+08:00', {
      title: 'HBsAb titer',
      codes: [{ system: 'http://loinc.org', code: '5263-9' }],
      value: { type: 'ratio', numerator: { value: 1 }, denominator: { value: 64 } },
      resource: { resourceType: 'Observation', ...lab } as never,
    });
    const hcg = entry('h1', '2024-05-02T08:00:00+08:00', {
      title: '尿妊娠试验',
      codes: [{ system: 'http://loinc.org', code: '2106-3' }],
      value: { type: 'boolean', value: false },
    });
    const zh = text('zh-CN');
    const table = buildLabTable([titre, hcg], zh.fmt.number.bind(zh.fmt), (v) => observationValueText(zh, v));
    const cells = table.groups.flatMap((g) => g.rows).map((r) => [r.label, r.loinc, r.latest.text]);
    expect(cells).toEqual(
      expect.arrayContaining([
        ['HBsAb titer', '5263-9', '1:64'],
        ['尿妊娠试验', '2106-3', '否'],
      ]),
    );
  });
});
