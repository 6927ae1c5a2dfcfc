import type uPlot from 'uplot';

/** One colour per source in the sources' order, the same sequence as the Sources panel's charts. */
export const TREND_COLORS = ['#1f5fbf', '#b3161b', '#1b7a3d', '#a05a00', '#6b3fa0', '#007b83', '#5c6670', '#c2185b'] as const;
const AXIS = '#4d5866';
const GRID = 'rgba(0, 0, 0, 0.07)';
/** Whole steps only: these are counts of findings. */
const WHOLE_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000];

export interface TrendInput {
  /** Day starts, epoch ms. */
  days: readonly number[];
  lines: readonly { label: string; values: readonly number[] }[];
  width: number;
  height: number;
  formatDay(ms: number): string;
  formatCount(value: number): string;
}

/** Findings per day per source: a day without findings is a zero (the record builds were checked), so lines never gap. */
export function trendOptions(input: TrendInput): uPlot.Options {
  const axis = { stroke: AXIS, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 } };
  return {
    width: input.width,
    height: input.height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 6 } },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [
      { ...axis, space: 110, values: (_u, splits) => splits.map((s) => input.formatDay(s * 1000)) },
      { ...axis, size: 60, incrs: WHOLE_STEPS, values: (_u, splits) => splits.map((v) => input.formatCount(v)) },
    ],
    series: [
      {},
      ...input.lines.map((line, i) => ({
        label: line.label,
        stroke: TREND_COLORS[i % TREND_COLORS.length],
        width: 1.5,
        points: { show: true, size: 4 },
      })),
    ],
  };
}

export function trendData(input: Pick<TrendInput, 'days' | 'lines'>): uPlot.AlignedData {
  return [input.days.map((ms) => ms / 1000), ...input.lines.map((line) => [...line.values])];
}
