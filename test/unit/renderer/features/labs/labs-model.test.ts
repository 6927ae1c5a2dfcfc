import { describe, expect, it } from 'vitest';
import { buildLabTable } from '../../../../../src/renderer/features/labs/labs-model.ts';
import { createFormatter } from '../../../../../src/renderer/i18n/format.ts';
import { CDR, LIS, entry, glucose } from '../../fixtures.ts';

const num = createFormatter('zh-CN').number;

const potassium = (id: string, time: string, value: number) =>
  entry(id, time, { title: '钾', lab: { analyte: 'potassium', loinc: '2823-3', value, unit: 'mmol/L', low: 3.5, high: 5.1 } });
const wbc = (id: string, time: string, value: number) =>
  entry(id, time, { title: '白细胞计数', lab: { analyte: 'wbc', loinc: '6690-2', value, unit: '10*9/L', low: 3.5, high: 9.5 } });

describe('buildLabTable', () => {
  const entries = [
    glucose('g1', '2024-01-10T08:00:00+08:00', 90),
    glucose('g2', '2024-03-05T08:00:00+08:00', 140),
    potassium('k1', '2024-03-05T08:00:00+08:00', 3.2),
    wbc('w1', '2024-01-10T08:00:00+08:00', 6.1),
    entry('dx', '2024-03-05', { kind: 'condition', title: '糖尿病' }),
    entry('vs', '2024-03-05T08:00:00+08:00', {
      title: '收缩压',
      lab: { value: 130, unit: 'mm[Hg]' },
      resource: { resourceType: 'Observation', category: [{ coding: [{ code: 'vital-signs' }] }] } as never,
    }),
  ];
  const table = buildLabTable(entries, num);

  it('has one column per specimen time, newest first, and no vital signs or non-results', () => {
    expect(table.columns.map((c) => c.time.ms)).toEqual([Date.parse('2024-03-05T00:00:00Z'), Date.parse('2024-01-10T00:00:00Z')]);
    expect(table.rowCount).toBe(3);
  });

  it('groups analytes into report sections in the usual order', () => {
    expect(table.groups.map((g) => [g.key, g.rows.map((r) => r.analyte)])).toEqual([
      ['cbc', ['wbc']],
      ['chemistry', ['potassium']],
      ['glucose', ['glucose']],
    ]);
  });

  it('shows normalised values with flags, units and ranges as a lab report prints them', () => {
    const g = table.groups.find((x) => x.key === 'glucose')!.rows[0]!;
    expect(g.unit).toBe('mmol/L');
    expect(g.range).toBe('3.89–5.5');
    expect(g.rangeWithUnit).toBe('3.89–5.5 mmol/L');
    const newest = g.cells.get(table.columns[0]!.key)![0]!;
    expect(newest).toMatchObject({ text: '7.77', flag: 'H', original: '140 mg/dL', conflict: false });
    expect(g.points.map((p) => p.value)).toEqual([4.996, 7.771]);
    const k = table.groups.find((x) => x.key === 'chemistry')!.rows[0]!;
    expect(k.cells.get(table.columns[0]!.key)![0]!.flag).toBe('L');
    expect(table.groups[0]!.rows[0]!.unit).toBe('×10⁹/L');
  });

  it('marks a cell whose sources disagree and never mixes units in one row', () => {
    const conflicted = glucose('g3', '2024-04-01T08:00:00+08:00', 126, {
      provenance: [CDR, LIS],
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
    const unconvertible = entry('g4', '2024-04-02T08:00:00+08:00', {
      title: '葡萄糖',
      lab: { analyte: 'glucose', value: 5, unit: 'mmol/mol' },
    });
    const t = buildLabTable([...entries, conflicted, unconvertible], num);
    const rows = t.groups.find((x) => x.key === 'glucose')!.rows;
    expect(rows.map((r) => r.unit).sort()).toEqual(['mmol/L', 'mmol/mol']);
    const cell = rows.find((r) => r.unit === 'mmol/L')!.cells.get(String(Math.floor(Date.parse('2024-04-01T00:00:00Z') / 60_000)))![0]!;
    expect(cell.conflict).toBe(true);
  });

  it('is empty without lab results', () => {
    expect(buildLabTable([entry('dx', '2024-03-05', { kind: 'condition' })], num)).toEqual({ columns: [], groups: [], rowCount: 0 });
  });
});
