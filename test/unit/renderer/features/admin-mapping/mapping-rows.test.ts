import { describe, expect, it } from 'vitest';
import { filterMappingRows, mappingRows, summarise } from '../../../../../src/renderer/features/admin-mapping/mapping-rows.ts';
import type { MappingUsage } from '../../../../../src/shared/api/mapping-usage.ts';

const usage: MappingUsage = {
  labCodes: [
    { code: 'GLU', loinc: '2345-7', origin: 'built-in', uses: 12 },
    { code: 'K', loinc: '2823-3', origin: 'built-in', uses: 0 },
    { code: 'XJ-GLU', loinc: '2345-7', origin: 'configured', uses: 3 },
    { code: 'XJ-TYPO', loinc: '2951-2', origin: 'configured', uses: 0 },
  ],
  units: [
    { spelling: 'mmol/l', ucum: 'mmol/L', origin: 'built-in', uses: 20 },
    { spelling: '毫摩尔/升', ucum: 'mmol/L', origin: 'configured', uses: 0 },
  ],
};

describe('mapping table rows for the console', () => {
  it("puts the hospital's never-matched entries first and marks them, then orders by use", () => {
    const rows = mappingRows(usage);
    expect(rows.map((r) => [r.table, r.from, r.idle])).toEqual([
      ['lab-code', 'XJ-TYPO', true],
      ['unit', '毫摩尔/升', true],
      ['unit', 'mmol/l', false],
      ['lab-code', 'GLU', false],
      ['lab-code', 'XJ-GLU', false],
      ['lab-code', 'K', false],
    ]);
    // A built-in entry never used is not "idle": only the hospital's own entries are suspicious.
    expect(rows.find((r) => r.from === 'K')).toMatchObject({ origin: 'built-in', uses: 0, idle: false });
  });

  it('filters by text (either side), table and use', () => {
    const rows = mappingRows(usage);
    const from = (f: Parameters<typeof filterMappingRows>[1]) => filterMappingRows(rows, f).map((r) => r.from);
    expect(from({ text: '2345', show: 'all', table: 'both' })).toEqual(['GLU', 'XJ-GLU']);
    expect(from({ text: 'MMOL', show: 'all', table: 'both' })).toEqual(['毫摩尔/升', 'mmol/l']);
    expect(from({ text: '', show: 'unused', table: 'lab-code' })).toEqual(['XJ-TYPO', 'K']);
    expect(from({ text: '', show: 'used', table: 'unit' })).toEqual(['mmol/l']);
    expect(from({ text: ' xj ', show: 'configured', table: 'both' })).toEqual(['XJ-TYPO', 'XJ-GLU']);
    expect(from({ text: 'nothing', show: 'all', table: 'both' })).toEqual([]);
  });

  it('summarises entries, uses and idle configured entries', () => {
    expect(summarise(mappingRows(usage))).toEqual({ entries: 6, used: 3, configured: 3, idle: 2, uses: 35 });
  });
});
