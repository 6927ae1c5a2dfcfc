import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../../../src/shared/domain/timeline.ts';
import {
  abnormalFlag,
  buildRows,
  DAY_ROW_HEIGHT,
  ENTRY_ROW_HEIGHT,
  filterEntries,
  kindCounts,
  rowOffsets,
  sortEntries,
  UNDATED_KEY,
  visibleRange,
} from '../../../../../src/renderer/features/timeline/timeline-model.ts';

function entry(id: string, clinicalTime: string | undefined, extra: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    id,
    kind: 'observation',
    ...(clinicalTime ? { clinicalTime } : {}),
    title: `t-${id}`,
    codes: [],
    provenance: [
      { sourceId: 'lis', sourceName: 'LIS', sourceKind: 'hl7v2', nativeId: id, messageType: 'ORU^R01', fetchedAt: '2024-03-05T10:00:00Z' },
    ],
    resource: { resourceType: 'Observation' } as TimelineEntry['resource'],
    ...extra,
  };
}

describe('sortEntries', () => {
  it('orders newest clinical time first, undated last, ties by id', () => {
    const sorted = sortEntries([
      entry('a', '2024-03-01T08:00:00'),
      entry('u', undefined),
      entry('c', '2024-03-05T09:00:00'),
      entry('b', '2024-03-05T09:00:00'),
      entry('d', '2024-03-03'),
    ]);
    expect(sorted.map((x) => x.entry.id)).toEqual(['b', 'c', 'd', 'a', 'u']);
  });
});

describe('buildRows', () => {
  it('groups by local calendar day, keeping date-only values on their own date', () => {
    const rows = buildRows(
      sortEntries([
        entry('a', '2024-03-05T23:30:00'),
        entry('b', '2024-03-05'),
        entry('c', '2024-03-04T00:10:00'),
        entry('m', '2019-06'),
        entry('u', undefined),
      ]),
    );
    expect(rows.map((r) => (r.type === 'day' ? `#${r.key}:${r.count}` : r.key))).toEqual([
      '#2024-03-05:2',
      'a',
      'b',
      '#2024-03-04:1',
      'c',
      '#2019-06:1',
      'm',
      `#${UNDATED_KEY}:1`,
      'u',
    ]);
  });
});

describe('filterEntries', () => {
  const items = sortEntries([
    entry('k', '2024-03-05T10:00:00', { title: '血钾', summary: '5.9 mmol/L' }),
    entry('e', '2024-03-04T10:00:00', { kind: 'encounter', title: '住院 · 心内科' }),
    entry('g', '2024-03-03T10:00:00', { title: 'Glucose', codes: [{ code: '1558-6', display: 'Fasting glucose' }] }),
  ]);
  it('filters by kind', () => {
    expect(filterEntries(items, { kinds: new Set(['encounter']), text: '' }).map((x) => x.entry.id)).toEqual(['e']);
  });
  it('matches every word of the text, case-insensitively, across title, summary, codes and sources', () => {
    expect(filterEntries(items, { kinds: new Set(), text: 'mmol 血钾' }).map((x) => x.entry.id)).toEqual(['k']);
    expect(filterEntries(items, { kinds: new Set(), text: 'FASTING 1558' }).map((x) => x.entry.id)).toEqual(['g']);
    expect(filterEntries(items, { kinds: new Set(), text: 'oru^r01' })).toHaveLength(3);
  });
  it('counts kinds', () => {
    expect(kindCounts(items.map((x) => x.entry)).get('observation')).toBe(2);
  });
});

describe('abnormalFlag', () => {
  it('reads H/L from an Observation interpretation and falls back to A', () => {
    const withCode = (code: string) =>
      entry('x', undefined, {
        abnormal: true,
        resource: { resourceType: 'Observation', interpretation: [{ coding: [{ code }] }] } as TimelineEntry['resource'],
      });
    expect(abnormalFlag(withCode('HH'))).toBe('H');
    expect(abnormalFlag(withCode('L'))).toBe('L');
    expect(abnormalFlag(withCode('A'))).toBe('A');
    expect(abnormalFlag(entry('y', undefined, { abnormal: true }))).toBe('A');
    expect(abnormalFlag(entry('z', undefined))).toBeUndefined();
  });
});

describe('windowing', () => {
  it('finds the rows intersecting the viewport', () => {
    const rows = buildRows(sortEntries(Array.from({ length: 100 }, (_, i) => entry(`e${i}`, '2024-03-05T10:00:00'))));
    const offsets = rowOffsets(rows);
    expect(offsets[rows.length]).toBe(DAY_ROW_HEIGHT + 100 * ENTRY_ROW_HEIGHT);
    expect(visibleRange(offsets, 0, 100, 0)).toEqual([0, 3]);
    const [start, end] = visibleRange(offsets, 1000, 200, 0);
    expect(offsets[start]!).toBeLessThanOrEqual(1000);
    expect(offsets[start + 1]!).toBeGreaterThan(1000);
    expect(offsets[end]!).toBeGreaterThanOrEqual(1200);
  });
});
