import { describe, expect, it } from 'vitest';
import { trendData, trendOptions, TREND_COLORS } from '../../../../../src/renderer/features/admin-quality/quality-trend-options.ts';

const DAY = 86_400_000;
const days = [0, 1, 2].map((i) => Date.parse('2026-12-05T00:00:00Z') + i * DAY);

describe('quality trend chart', () => {
  it('puts days in seconds on x and one series per source, coloured in order', () => {
    const lines = [
      { label: 'cdr', values: [0, 1, 0] },
      { label: 'lis', values: [2, 0, 5] },
    ];
    expect(trendData({ days, lines })).toEqual([days.map((d) => d / 1000), [0, 1, 0], [2, 0, 5]]);
    const options = trendOptions({ days, lines, width: 400, height: 200, formatDay: String, formatCount: String });
    expect(options.series.slice(1).map((s) => [s.label, s.stroke])).toEqual([
      ['cdr', TREND_COLORS[0]],
      ['lis', TREND_COLORS[1]],
    ]);
  });
});
