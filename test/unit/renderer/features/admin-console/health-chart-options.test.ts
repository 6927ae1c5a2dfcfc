import { describe, expect, it } from 'vitest';
import {
  colorIndexOf,
  healthChartData,
  healthChartOptions,
  isolatedIndexes,
  SOURCE_COLORS,
} from '../../../../../src/renderer/features/admin-console/health-chart-options.ts';
import { CONSOLE_TABS } from '../../../../../src/renderer/features/admin-console/console-tabs.tsx';

const starts = [0, 300_000, 600_000];
const lines = [
  { label: 'CDR', values: [120, null, 80] },
  { label: 'HIS', values: [0, 3, 1] },
];

describe('source health chart', () => {
  it('puts bucket starts in seconds on x and one series per source, gaps kept as gaps', () => {
    expect(healthChartData({ starts, lines })).toEqual([
      [0, 300, 600],
      [120, null, 80],
      [0, 3, 1],
    ]);
    const options = healthChartOptions({ starts, lines, width: 400, height: 200, formatTime: String, formatValue: String });
    expect(options.series.map((s) => s.label)).toEqual([undefined, 'CDR', 'HIS']);
    expect(options.series.slice(1).map((s) => s.spanGaps)).toEqual([false, false]);
    expect(options.series[2]!.stroke).toBe(SOURCE_COLORS[1]);
    expect(colorIndexOf(SOURCE_COLORS.length + 2)).toBe(2);
  });

  it('dots the values a line cannot show (no neighbour on either side)', () => {
    expect(isolatedIndexes([5, null, 3, null, null, 4, 6, null])).toEqual([0, 2]);
    expect(isolatedIndexes([null, 7])).toEqual([1]);
  });
});

describe('console tabs', () => {
  it('are the five sections in order, each with its own id', () => {
    expect(CONSOLE_TABS.map((t) => t.id)).toEqual(['sources', 'quality', 'mapping', 'audit', 'configuration']);
  });
});
