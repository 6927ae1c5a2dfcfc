import type uPlot from 'uplot';

/** One colour per source, in the sources' order (canvas cannot read CSS variables cheaply); keep in step with admin-console.css. */
export const SOURCE_COLORS = ['#1f5fbf', '#b3161b', '#1b7a3d', '#a05a00', '#6b3fa0', '#007b83', '#5c6670', '#c2185b'] as const;
const AXIS = '#4d5866';
const GRID = 'rgba(0, 0, 0, 0.07)';

export const colorIndexOf = (i: number): number => i % SOURCE_COLORS.length;

/** Whole steps only: these are counts and milliseconds, an axis at 0.25 calls reads as nonsense. */
const WHOLE_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 2_500, 5_000, 10_000, 20_000, 50_000, 100_000];

/** Values with no neighbour on either side: a line cannot show them, so they get a dot. */
export function isolatedIndexes(values: readonly (number | null)[]): number[] {
  const out: number[] = [];
  values.forEach((v, i) => {
    if (v !== null && (values[i - 1] ?? null) === null && (values[i + 1] ?? null) === null) out.push(i);
  });
  return out;
}

export interface TimeSeriesInput {
  /** Bucket (or day) starts, epoch ms. */
  starts: readonly number[];
  /** One line per source; null is a bucket without a value (a gap, not a zero). */
  lines: readonly { label: string; values: readonly (number | null)[] }[];
  width: number;
  height: number;
  formatTime(ms: number): string;
  formatValue(value: number): string;
}

/** Lines per source over time, on whole-number steps; a gap stays a gap and a value alone between gaps gets a dot. */
export function timeSeriesOptions(input: TimeSeriesInput): uPlot.Options {
  const axis = { stroke: AXIS, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 } };
  return {
    width: input.width,
    height: input.height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 6 } },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [
      { ...axis, space: 110, values: (_u, splits) => splits.map((s) => input.formatTime(s * 1000)) },
      { ...axis, size: 60, incrs: WHOLE_STEPS, values: (_u, splits) => splits.map((v) => input.formatValue(v)) },
    ],
    series: [
      {},
      ...input.lines.map((line, i) => ({
        label: line.label,
        stroke: SOURCE_COLORS[colorIndexOf(i)],
        width: 1.5,
        spanGaps: false,
        points: { show: true, size: 5, filter: isolatedIndexes(line.values) },
      })),
    ],
  };
}

export function timeSeriesData(input: Pick<TimeSeriesInput, 'starts' | 'lines'>): uPlot.AlignedData {
  return [input.starts.map((ms) => ms / 1000), ...input.lines.map((line) => [...line.values])];
}
