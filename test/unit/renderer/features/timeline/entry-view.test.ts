import { describe, expect, it } from 'vitest';
import { entryView } from '../../../../../src/renderer/features/timeline/entry-view.ts';
import { translate, type Locale, type MessageKey, type MessageParams } from '../../../../../src/renderer/i18n/catalogs.ts';
import { createFormatter } from '../../../../../src/renderer/i18n/format.ts';
import { CDR, LIS, glucose } from '../../fixtures.ts';

const text = (locale: Locale) => ({ t: (k: MessageKey, p?: MessageParams) => translate(locale, k, p), fmt: createFormatter(locale) });

/** The CDR said 7.0 mmol/L (126 mg/dL), the LIS 7.8 mmol/L: one merged entry, a conflict. */
const merged = glucose('cdr:Observation/1', '2024-03-05T08:00:00+08:00', 126, {
  provenance: [CDR, LIS],
  abnormal: true,
  conflicts: [
    {
      field: 'value',
      values: [
        { sourceId: 'cdr', sourceName: 'CDR', value: '6.994 mmol/L' },
        { sourceId: 'lis', sourceName: 'LIS', value: '7.8 mmol/L' },
      ],
    },
  ],
});

describe('entryView: conflicts', () => {
  it('marks the entry with words and lists every source with its value, none hidden', () => {
    const view = entryView(text('zh-CN'), merged);
    expect(view.conflictLabel).toBe('数值不一致');
    expect(view.conflicts).toEqual([
      {
        field: '结果值',
        values: [
          { sourceId: 'cdr', sourceName: 'CDR', value: '6.99 mmol/L' },
          { sourceId: 'lis', sourceName: 'LIS', value: '7.8 mmol/L' },
        ],
      },
    ]);
    expect(view.conflictTitle).toBe('数值不一致 (结果值)\nCDR: 6.99 mmol/L\nLIS: 7.8 mmol/L');
  });

  it('says it in English too', () => {
    const view = entryView(text('en'), merged);
    expect(view.conflictLabel).toBe('values disagree');
    expect(view.conflicts[0]!.field).toBe('value');
  });

  it('keeps a third source and a field it does not know', () => {
    const view = entryView(text('zh-CN'), {
      ...merged,
      conflicts: [
        {
          // 'status' is a known field since reconciliation (issue 16); this one is not.
          field: 'reportStatus',
          values: [
            { sourceId: 'a', sourceName: 'A', value: 'final' },
            { sourceId: 'b', sourceName: 'B', value: 'preliminary' },
            { sourceId: 'c', sourceName: 'C', value: 'amended' },
          ],
        },
      ],
    });
    expect(view.conflicts[0]!.field).toBe('reportStatus');
    expect(view.conflicts[0]!.values.map((v) => v.value)).toEqual(['final', 'preliminary', 'amended']);
  });

  it("words a merged record's onsets as dates, its criticality and severity as words, and names what it took from whom", () => {
    const conflict = (field: string, a: string, b: string) => ({
      field,
      values: [
        { sourceId: 'cdr', sourceName: 'CDR', value: a },
        { sourceId: 'emr', sourceName: 'EMR', value: b },
      ],
    });
    const entry = {
      ...merged,
      conflicts: [
        conflict('onset', '2019-03-25', '2018-06-15'),
        conflict('criticality', 'high', ''),
        conflict('severity', 'mild', 'severe'),
      ],
      statedBy: [{ field: 'criticality', sourceId: 'cdr', sourceName: 'CDR' }],
    };
    const zh = entryView(text('zh-CN'), entry);
    expect(zh.conflicts.map((c) => [c.field, c.values.map((v) => v.value)])).toEqual([
      ['起病日期', ['2019/03/25', '2018/06/15']],
      ['危险程度', ['高危', '—']],
      ['反应严重程度', ['轻度', '重度']],
    ]);
    expect(zh.statedBy).toBe('危险程度: CDR');
    const en = entryView(text('en'), entry);
    expect(en.conflicts.map((c) => [c.field, c.values.map((v) => v.value)])).toEqual([
      ['onset', ['03/25/2019', '06/15/2018']],
      ['criticality', ['High risk', '—']],
      ['reaction severity', ['mild', 'severe']],
    ]);
    expect(en.statedBy).toBe('criticality: CDR');
    expect(entryView(text('en'), merged).statedBy).toBeUndefined();
  });

  it('has no mark without conflicts', () => {
    const view = entryView(text('zh-CN'), glucose('x', '2024-03-05', 90));
    expect(view.conflictLabel).toBeUndefined();
    expect(view.conflicts).toEqual([]);
  });
});

describe('entryView: values and sources', () => {
  it('shows the normalised value with the original when the unit was converted', () => {
    const view = entryView(text('zh-CN'), glucose('x', '2024-03-05', 140.5));
    expect(view.value).toBe('7.8 mmol/L');
    expect(view.original).toBe('原始 140.5 mg/dL');
    expect(view.range).toBe('参考 3.89–5.5 mmol/L');
    expect(view.flag).toBe('H');
  });

  it('names every system of a merged entry', () => {
    expect(entryView(text('zh-CN'), merged).sources).toBe('CDR · LIS');
  });

  it('falls back to the summary for entries without a lab value', () => {
    const view = entryView(text('zh-CN'), { ...glucose('x', '2024-03-05', 90), lab: undefined, summary: '阴性' });
    expect(view.value).toBe('阴性');
    expect(view.original).toBeUndefined();
  });
});
