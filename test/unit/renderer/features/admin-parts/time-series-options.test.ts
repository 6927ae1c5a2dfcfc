import { describe, expect, it } from 'vitest';
import {
  colorIndexOf,
  isolatedIndexes,
  SOURCE_COLORS,
  timeSeriesData,
  timeSeriesOptions,
} from '../../../../../src/renderer/features/admin-parts/time-series-options.ts';

const starts = [0, 300_000, 600_000];
const lines = [
  { label: 'CDR', values: [120, null, 80] },
  { label: 'HIS', values: [0, 3, 1] },
];
const DAY = 86_400_000;

describe('time-series chart options (source health and quality trend)', () => {
  it('puts bucket starts in seconds on x and one series per source, gaps kept as gaps', () => {
    expect(timeSeriesData({ starts, lines })).toEqual([
      [0, 300, 600],
      [120, null, 80],
      [0, 3, 1],
    ]);
    const options = timeSeriesOptions({ starts, lines, width: 400, height: 200, formatTime: String, formatValue: String });
    expect(options.series.map((s) => s.label)).toEqual([undefined, 'CDR', 'HIS']);
    expect(options.series.slice(1).map((s) => s.spanGaps)).toEqual([false, false]);
    expect(options.series[2]!.stroke).toBe(SOURCE_COLORS[1]);
    expect(colorIndexOf(SOURCE_COLORS.length + 2)).toBe(2);
  });

  it('days of findings: one series per source, coloured in the sources’ order, no dots where every day has a count', () => {
    const days = [0, 1, 2].map((i) => Date.parse('2026-12-05T00:00:00Z') + i * DAY);
    const perDay = [
      { label: 'cdr', values: [0, 1, 0] },
      { label: 'lis', values: [2, 0, 5] },
    ];
    expect(timeSeriesData({ starts: days, lines: perDay })).toEqual([days.map((d) => d / 1000), [0, 1, 0], [2, 0, 5]]);
    const options = timeSeriesOptions({ starts: days, lines: perDay, width: 400, height: 200, formatTime: String, formatValue: String });
    expect(options.series.slice(1).map((s) => [s.label, s.stroke])).toEqual([
      ['cdr', SOURCE_COLORS[0]],
      ['lis', SOURCE_COLORS[1]],
    ]);
    expect(options.series.slice(1).map((s) => (s.points as { filter: number[] }).filter)).toEqual([[], []]);
  });

  it('dots the values a line cannot show (no neighbour on either side)', () => {
    expect(isolatedIndexes([5, null, 3, null, null, 4, 6, null])).toEqual([0, 2]);
    expect(isolatedIndexes([null, 7])).toEqual([1]);
  });
});
