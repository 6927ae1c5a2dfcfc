import { describe, expect, it } from 'vitest';
import {
  buildRows,
  filterEntries,
  inDateRange,
  indexEntries,
  keyAction,
  NO_ENCOUNTER_KEY,
  rowOffsets,
  sortEntries,
  sourceOptions,
  visibleRange,
  type TimelineRow,
} from '../../../../../src/renderer/features/timeline/timeline-model.ts';
import { parseClinicalTime } from '../../../../../src/renderer/lib/clinical-time.ts';
import { CDR, LIS, entry, glucose } from '../../fixtures.ts';

const enc = entry('enc1', '2024-03-05T08:00:00', { kind: 'encounter', title: '门诊' });
const report = entry('rpt1', '2024-03-05T08:20:00', { kind: 'report', title: '检验报告', encounterId: 'enc1' });
const glu = glucose('glu1', '2024-03-05T08:20:00', 140, { panelId: 'rpt1', encounterId: 'enc1', abnormal: true });
const k = entry('k1', '2024-03-05T08:20:00', { title: '钾', panelId: 'rpt1', encounterId: 'enc1', provenance: [LIS] });
const dx = entry('dx1', '2024-03-05T09:00:00', { kind: 'condition', title: '2型糖尿病', encounterId: 'enc1' });
const allergy = entry('alg1', '2019-01-01', { kind: 'allergy', title: '青霉素' });
const all = [enc, report, glu, k, dx, allergy];
const sorted = sortEntries(all);
const index = indexEntries(sorted);
const shape = (rows: TimelineRow[]) =>
  rows.map((r) =>
    r.type === 'day'
      ? `#${r.key}`
      : r.type === 'entry'
        ? `${'  '.repeat(r.depth)}${r.key}`
        : `${'  '.repeat(r.type === 'panel' ? r.depth : 0)}[${r.type}:${r.key}${r.collapsed ? '+' : ''}]`,
  );

describe('buildRows: lab panels', () => {
  it('puts results indented under their report, by day', () => {
    expect(shape(buildRows(sorted, { index }))).toEqual([
      '#2024-03-05',
      'dx1',
      '[panel:rpt1]',
      '  glu1',
      '  k1',
      'enc1',
      '#2019-01-01',
      'alg1',
    ]);
  });
  it('counts results and abnormal ones, and hides a collapsed panel’s results', () => {
    const rows = buildRows(sorted, { index, collapsed: new Set(['rpt1']) });
    const panel = rows.find((r) => r.type === 'panel');
    expect(panel).toMatchObject({ count: 2, total: 2, abnormal: 1, collapsed: true });
    expect(shape(rows)).not.toContain('  glu1');
  });
  it('keeps the report as header when only a result matches the filter', () => {
    const onlyK = filterEntries(sorted, { kinds: new Set(), text: '钾' });
    const rows = buildRows(onlyK, { index });
    expect(shape(rows)).toEqual(['#2024-03-05', '[panel:rpt1]', '  k1']);
    expect(rows[1]).toMatchObject({ count: 1, total: 2 });
  });
});

describe('buildRows: by encounter', () => {
  it('heads each visit with its encounter; what names no visit goes last', () => {
    expect(shape(buildRows(sorted, { index, groupBy: 'encounter' }))).toEqual([
      '[encounter:enc1]',
      '  dx1',
      '  [panel:rpt1]',
      '    glu1',
      '    k1',
      `[encounter:${NO_ENCOUNTER_KEY}]`,
      '  alg1',
    ]);
  });
  it('shows the encounter header even when the encounter itself is filtered out', () => {
    const labsOnly = filterEntries(sorted, { kinds: new Set(['observation']), text: '' });
    const rows = buildRows(labsOnly, { index, groupBy: 'encounter' });
    expect(rows[0]).toMatchObject({ type: 'encounter', key: 'enc1', count: 2 });
    expect(rows[0]!.type === 'encounter' && rows[0]!.entry?.title).toBe('门诊');
  });
});

describe('filters', () => {
  it('filters by source through any provenance of a merged entry', () => {
    const merged = entry('m', '2024-03-05', { provenance: [CDR, LIS] });
    const items = sortEntries([merged, k, dx]);
    expect(filterEntries(items, { kinds: new Set(), text: '', sources: new Set(['lis']) }).map((x) => x.entry.id)).toEqual(['k1', 'm']);
    expect(sourceOptions([merged, k, dx])).toEqual([
      { sourceId: 'cdr', name: 'CDR', count: 2 },
      { sourceId: 'lis', name: 'LIS', count: 2 },
    ]);
  });
  it('filters by inclusive date range; partial dates match when their span overlaps; undated never', () => {
    expect(inDateRange(parseClinicalTime('2024-03-05T23:59:00'), '2024-03-05', '2024-03-05')).toBe(true);
    expect(inDateRange(parseClinicalTime('2024-03-06T00:01:00'), '2024-03-01', '2024-03-05')).toBe(false);
    expect(inDateRange(parseClinicalTime('2024-03'), '2024-03-20', '')).toBe(true);
    expect(inDateRange(parseClinicalTime('2023'), '2024-01-01', '')).toBe(false);
    expect(inDateRange(undefined, '2024-01-01', '')).toBe(false);
    expect(inDateRange(undefined, '', '')).toBe(true);
    expect(inDateRange(parseClinicalTime('2024-03-05'), 'garbage', '')).toBe(true);
  });
  it('keeps only abnormal entries (source flag, H/L, or value outside the normalised range)', () => {
    const normal = glucose('n', '2024-03-05', 90);
    const high = glucose('h', '2024-03-05', 140);
    const items = sortEntries([normal, high, dx, glu]);
    expect(
      filterEntries(items, { kinds: new Set(), text: '', abnormalOnly: true })
        .map((x) => x.entry.id)
        .sort(),
    ).toEqual(['glu1', 'h']);
  });
});

describe('keyAction: the tree keyboard model', () => {
  const rows = buildRows(sorted, { index, groupBy: 'encounter' });
  const at = (key: string) => rows.findIndex((r) => r.type !== 'day' && r.key === key);
  it('moves over headers and entries alike', () => {
    expect(keyAction(rows, -1, 'ArrowDown')).toEqual({ select: 'enc1' });
    expect(keyAction(rows, at('enc1'), 'ArrowDown')).toEqual({ select: 'dx1' });
    expect(keyAction(rows, at('k1'), 'ArrowDown')).toEqual({ select: NO_ENCOUNTER_KEY });
    expect(keyAction(rows, at('dx1'), 'End')).toEqual({ select: 'alg1' });
    expect(keyAction(rows, at('alg1'), 'Home')).toEqual({ select: 'enc1' });
  });
  it('collapses, expands, steps in and out', () => {
    expect(keyAction(rows, at('rpt1'), 'ArrowLeft')).toEqual({ collapse: 'rpt1' });
    expect(keyAction(rows, at('glu1'), 'ArrowLeft')).toEqual({ select: 'rpt1' });
    expect(keyAction(rows, at('dx1'), 'ArrowLeft')).toEqual({ select: 'enc1' });
    expect(keyAction(rows, at('rpt1'), 'ArrowRight')).toEqual({ select: 'glu1' });
    const collapsed = buildRows(sorted, { index, groupBy: 'encounter', collapsed: new Set(['enc1']) });
    expect(keyAction(collapsed, 0, 'ArrowRight')).toEqual({ expand: 'enc1' });
    expect(keyAction(collapsed, 0, 'ArrowLeft')).toBeUndefined();
    expect(keyAction(rows, at('glu1'), 'ArrowRight')).toBeUndefined();
    expect(keyAction(rows, at('glu1'), 'x')).toBeUndefined();
  });
});

describe('10,000 entries', () => {
  it('filters, groups and windows fast enough to stay interactive', () => {
    const many = [];
    for (let d = 0; d < 1250; d++) {
      const day = new Date(Date.UTC(2020, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      many.push(entry(`r${d}`, `${day}T08:00:00`, { kind: 'report', title: '检验报告' }));
      for (let i = 0; i < 7; i++) many.push(glucose(`o${d}-${i}`, `${day}T08:00:00`, 80 + ((d * 7 + i) % 80), { panelId: `r${d}` }));
    }
    expect(many).toHaveLength(10_000);
    const t0 = performance.now();
    const s = sortEntries(many);
    const idx = indexEntries(s);
    const rows = buildRows(filterEntries(s, { kinds: new Set(), text: '', abnormalOnly: true }), { index: idx });
    const offsets = rowOffsets(rows);
    const [start, end] = visibleRange(offsets, offsets[rows.length]! / 2, 800);
    const ms = performance.now() - t0;
    expect(end - start).toBeLessThan(50);
    expect(rows.filter((r) => r.type === 'panel').length).toBeGreaterThan(1000);
    // Generous bound for a shared 2-core machine; measured ~60 ms locally.
    expect(ms).toBeLessThan(2000);
  });
});
