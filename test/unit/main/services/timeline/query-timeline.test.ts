import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../../../src/shared/domain/timeline.ts';
import { queryTimeline } from '../../../../../src/main/services/timeline/query-timeline.ts';

const entry = (
  id: string,
  kind: TimelineEntry['kind'],
  clinicalTime: string,
  sourceId: string,
  extra: Partial<TimelineEntry> = {},
): TimelineEntry => ({
  id,
  kind,
  clinicalTime,
  title: id,
  codes: [],
  provenance: [{ sourceId, sourceName: sourceId.toUpperCase(), sourceKind: 'fhir', nativeId: id, fetchedAt: '2026-01-01T00:00:00Z' }],
  resource: { resourceType: 'Observation', id, status: 'final', code: {} },
  ...extra,
});

const timeline = [
  entry('glucose', 'observation', '2024-05-02T08:00:00+08:00', 'lis', {
    abnormal: true,
    summary: '7.8 mmol/L',
    codes: [{ system: 'http://loinc.org', code: '14749-6' }],
  }),
  entry('admission', 'encounter', '2024-05-01T10:00:00+08:00', 'his'),
  entry('diabetes', 'condition', '2019-03-25', 'cdr', { title: '2型糖尿病' }),
];

describe('queryTimeline', () => {
  it('filters by kind, source, abnormal and keeps the order', () => {
    expect(queryTimeline(timeline, { kinds: ['observation', 'condition'] }).map((e) => e.id)).toEqual(['glucose', 'diabetes']);
    expect(queryTimeline(timeline, { sourceIds: ['his'] }).map((e) => e.id)).toEqual(['admission']);
    expect(queryTimeline(timeline, { abnormalOnly: true }).map((e) => e.id)).toEqual(['glucose']);
  });

  it('filters by date range, a date-only end meaning the whole day', () => {
    expect(queryTimeline(timeline, { from: '2024-05-01', to: '2024-05-01' }).map((e) => e.id)).toEqual(['admission']);
    expect(queryTimeline(timeline, { to: '2020-01-01' }).map((e) => e.id)).toEqual(['diabetes']);
  });

  it('searches text in titles, values, codes and source names (汉字 included)', () => {
    expect(queryTimeline(timeline, { text: '糖尿病' }).map((e) => e.id)).toEqual(['diabetes']);
    expect(queryTimeline(timeline, { text: '14749-6' }).map((e) => e.id)).toEqual(['glucose']);
    expect(queryTimeline(timeline, { text: 'his' }).map((e) => e.id)).toEqual(['admission']);
  });
});
