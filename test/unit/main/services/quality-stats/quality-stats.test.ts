import { afterEach, describe, expect, it } from 'vitest';
import { openCacheStore } from '../../../../../src/main/services/cache/index.ts';
import { createRefMasks } from '../../../../../src/main/services/privacy/index.ts';
import { createQualityStats } from '../../../../../src/main/services/quality-stats/index.ts';
import type { QualityFinding } from '../../../../../src/shared/domain/quality.ts';
import { tempCacheDir, testProtector } from '../../../../support/cache-fixtures.ts';

const cleanups: (() => void)[] = [];
/** Findings as the record build hands them over: each array with how many entries carry it. */
const once = (findings: QualityFinding[]): [QualityFinding[], number][] => [[findings, 1]];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

const DAY = 86_400_000;
const masks = createRefMasks(Buffer.alloc(32, 7));
const sampleRef = masks.qualitySample;
const T0 = Date.parse('2026-12-07T08:00:00Z');
const zhang = [
  { sourceId: 'cdr', sourcePatientId: 'pat-0001' },
  { sourceId: 'lis', sourcePatientId: 'LIS-123456' },
];
const other = [{ sourceId: 'cdr', sourcePatientId: 'pat-0002' }];

const unmapped = (code: string): QualityFinding => ({
  code: 'unmapped-code',
  severity: 'warning',
  sourceId: 'lis',
  resourceType: 'Observation',
  field: 'Observation.code',
  params: { system: 'urn:lis:local', code },
});
const unit: QualityFinding = {
  code: 'unit-not-ucum',
  severity: 'warning',
  sourceId: 'lis',
  resourceType: 'Observation',
  field: 'Observation.valueQuantity.unit',
  params: { unit: 'mmol/l' },
};
const noTime: QualityFinding = {
  code: 'missing-time',
  severity: 'error',
  sourceId: 'his',
  resourceType: 'Encounter',
  field: 'Encounter.period',
};

describe('quality aggregates for the console', () => {
  it('counts per source, kind and day; the same record assessed again that day counts once, each count at its highest', () => {
    let now = T0;
    const stats = createQualityStats({ clock: () => now, sampleRef });
    stats.record(zhang, once([unmapped('VS-ADM'), unmapped('VS-ADM'), unit]));
    // Two entries sharing one findings array count twice.
    stats.record([...zhang].reverse(), [
      [[unmapped('VS-ADM')], 2],
      [[unmapped('GLU-X'), unit], 1],
    ]);
    stats.record(other, once([noTime]));
    now = T0 + DAY;
    stats.record(zhang, once([unmapped('VS-ADM')]));
    const o = stats.overview('7d');
    expect(o.days).toHaveLength(7);
    expect(o.days.at(-1)).toBe(Math.floor(now / DAY) * DAY);
    expect(o.assessments).toBe(3);
    expect(o.sources).toEqual([
      { sourceId: 'his', total: 1, byKind: { 'missing-time': 1 }, perDay: [0, 0, 0, 0, 0, 1, 0] },
      { sourceId: 'lis', total: 5, byKind: { 'unmapped-code': 4, 'unit-not-ucum': 1 }, perDay: [0, 0, 0, 0, 0, 4, 1] },
    ]);
    expect(o.topUnmapped).toEqual([
      { sourceId: 'lis', system: 'urn:lis:local', code: 'VS-ADM', count: 3 },
      { sourceId: 'lis', system: 'urn:lis:local', code: 'GLU-X', count: 1 },
    ]);
    stats.close();
  });

  it('a later build of the same record that day (clean, or missing a source) takes nothing away; the range drops days past it', () => {
    let now = T0;
    const stats = createQualityStats({ clock: () => now, sampleRef });
    stats.record(zhang, once([unit, unmapped('A'), unmapped('A')]));
    stats.record(zhang, once([]));
    stats.record(zhang, once([unmapped('A'), noTime]));
    const o = stats.overview('30d');
    expect(o.assessments).toBe(1);
    expect(o.sources).toEqual([
      { sourceId: 'his', total: 1, byKind: { 'missing-time': 1 }, perDay: [...new Array<number>(29).fill(0), 1] },
      { sourceId: 'lis', total: 3, byKind: { 'unit-not-ucum': 1, 'unmapped-code': 2 }, perDay: [...new Array<number>(29).fill(0), 3] },
    ]);
    expect(o.topUnmapped).toEqual([{ sourceId: 'lis', system: 'urn:lis:local', code: 'A', count: 2 }]);
    now = T0 + 8 * DAY;
    expect(stats.overview('7d').sources).toEqual([]);
    expect(stats.overview('30d').sources.map((s) => s.total)).toEqual([1, 3]);
    stats.close();
  });

  it('counts a value conflict against every source involved, whichever copy the timeline kept, as `huizhen quality` does', () => {
    const conflict = (kept: string, sources: string): QualityFinding => ({
      code: 'value-conflict',
      severity: 'warning',
      sourceId: kept,
      resourceType: 'Observation',
      field: 'Observation.valueQuantity',
      params: { field: 'valueQuantity', sources },
    });
    const overviewWith = (finding: QualityFinding) => {
      const stats = createQualityStats({ clock: () => T0, sampleRef });
      stats.record(zhang, [[[finding], 2]]);
      const o = stats.overview('7d');
      const kinds = (sourceId: string) => stats.samples(sourceId, 'value-conflict').map((s) => s.field);
      const seen = { sources: o.sources.map((s) => [s.sourceId, s.byKind]), samples: [kinds('cdr'), kinds('lis')] };
      stats.close();
      return seen;
    };
    // The same two-way disagreement, once kept as the LIS copy and once as the CDR copy (listed either way).
    const asLis = overviewWith(conflict('lis', 'lis,cdr'));
    const asCdr = overviewWith(conflict('cdr', 'cdr,lis'));
    expect(asLis).toEqual(asCdr);
    expect(asLis.sources).toEqual([
      ['cdr', { 'value-conflict': 2 }],
      ['lis', { 'value-conflict': 2 }],
    ]);
    expect(asLis.samples).toEqual([['Observation.valueQuantity'], ['Observation.valueQuantity']]);
    // Three sources: each counted once per entry, in source-id order; other kinds stay on their own source.
    const three = overviewWith(conflict('ris', 'ris,his,cdr'));
    expect(three.sources.map(([id]) => id)).toEqual(['cdr', 'his', 'ris']);
  });

  it('drill-down samples carry a sample reference and the field path, never a record reference nor an audit mask', () => {
    const stats = createQualityStats({ clock: () => T0, sampleRef });
    stats.record(zhang, once([unmapped('A'), unmapped('B'), unit]));
    stats.record(other, once([unmapped('A')]));
    const samples = stats.samples('lis', 'unmapped-code');
    expect(samples.map((s) => s.field)).toEqual(['Observation.code', 'Observation.code']);
    expect(samples.every((s) => /^S-[0-9a-f]{10}$/.test(s.maskedRef))).toBe(true);
    expect(new Set(samples.map((s) => s.maskedRef)).size).toBe(2);
    // Nothing the audit trail shows for these records: not as a whole, not its ten hex digits.
    const auditHex = [...zhang, ...other].map((r) => masks.audit(r).slice(2));
    expect(samples.filter((s) => auditHex.includes(s.maskedRef.slice(2)))).toEqual([]);
    // Listed in the sample references' order, not the order the records were opened in.
    expect(samples.map((s) => s.maskedRef)).toEqual(samples.map((s) => s.maskedRef).sort());
    const text = JSON.stringify([samples, stats.overview('30d')]);
    for (const id of ['pat-0001', 'LIS-123456', 'pat-0002']) expect(text).not.toContain(id);
    expect(stats.samples('his', 'unmapped-code')).toEqual([]);
    stats.close();
  });

  it('keeps the aggregates sealed in the encrypted cache across restarts; a sample keeps its reference through its day only', async () => {
    const { dir, cleanup } = tempCacheDir('quality-stats');
    cleanups.push(cleanup);
    const first = await openCacheStore({ directory: dir, protector: testProtector() });
    const a = createQualityStats({ store: first, clock: () => T0, sampleRef });
    a.record(zhang, once([unmapped('VS-ADM'), unit]));
    const [sameDay] = a.samples('lis', 'unit-not-ucum');
    expect(a.samples('lis', 'unmapped-code')[0]!.maskedRef).toBe(sameDay!.maskedRef);
    a.close();
    first.close();
    const second = await openCacheStore({ directory: dir, protector: testProtector() });
    const b = createQualityStats({ store: second, clock: () => T0 + DAY, sampleRef });
    expect(b.overview('7d').sources).toEqual([
      { sourceId: 'lis', total: 2, byKind: { 'unmapped-code': 1, 'unit-not-ucum': 1 }, perDay: [0, 0, 0, 0, 0, 2, 0] },
    ]);
    // The same record assessed again today: a reference of its own, so the days one record had findings on form no pattern.
    b.record(zhang, once([unit]));
    const [assessedToday, assessedYesterday] = b.samples('lis', 'unit-not-ucum');
    expect(assessedToday!.day).toBe(sameDay!.day + DAY);
    expect(assessedToday!.maskedRef).not.toBe(assessedYesterday!.maskedRef);
    const nextDay = assessedYesterday;
    expect(nextDay).toMatchObject({
      maskedRef: expect.stringMatching(/^S-[0-9a-f]{10}$/),
      field: 'Observation.valueQuantity.unit',
      day: sameDay!.day,
    });
    // Viewed the next day, the same record's sample has a new reference: yesterday's notes name nothing today.
    expect(nextDay!.maskedRef).not.toBe(sameDay!.maskedRef);
    b.close();
    second.close();
  });
});
