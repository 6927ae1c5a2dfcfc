import { describe, expect, it } from 'vitest';
import { qualityCsv } from '../../../../../src/main/services/quality-stats/index.ts';

const DAY = 86_400_000;
const d0 = Date.parse('2026-12-06T00:00:00Z');

describe('quality CSV', () => {
  it('lists findings per source and kind, a row of counts per day, then the unmapped codes; formulas are defused', () => {
    const csv = qualityCsv({
      range: '7d',
      days: [d0, d0 + DAY],
      assessments: 2,
      sources: [{ sourceId: 'lis', total: 3, byKind: { 'unit-not-ucum': 1, 'unmapped-code': 2 }, perDay: [1, 2] }],
      topUnmapped: [
        { sourceId: 'lis', system: 'urn:lis:local', code: 'VS-ADM', count: 1 },
        { sourceId: 'lis', system: 'urn:lis:local', code: '=HYPERLINK("x")', count: 1 },
      ],
    });
    expect(csv.split('\r\n')).toEqual([
      'section,source,kind,code_system,code,count,2026-12-06,2026-12-07',
      'findings,lis,unmapped-code,,,2,,',
      'findings,lis,unit-not-ucum,,,1,,',
      'findings-per-day,lis,,,,3,1,2',
      'unmapped-code,lis,unmapped-code,urn:lis:local,VS-ADM,1,,',
      `unmapped-code,lis,unmapped-code,urn:lis:local,"'=HYPERLINK(""x"")",1,,`,
      '',
    ]);
  });
});
