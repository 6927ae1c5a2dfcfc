import type uPlot from 'uplot';
import type { LabPoint } from './labs-model.ts';

/** Colours of the chart (canvas cannot read CSS variables cheaply); keep in step with app.css. */
export const CHART_COLORS = {
  line: '#1f5fbf',
  band: 'rgba(27, 122, 61, 0.13)',
  bandEdge: 'rgba(27, 122, 61, 0.55)',
  abnormal: '#b3161b',
  axis: '#4d5866',
  grid: 'rgba(0, 0, 0, 0.07)',
  point: '#ffffff',
};

const DAY_S = 86_400;

/** The y range: the data and the reference range both visible, with some air around them. */
export function yRange(min: number, max: number, low: number | undefined, high: number | undefined): [number, number] {
  let lo = Math.min(min, low ?? min);
  let hi = Math.max(max, high ?? max);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    return [lo - pad, hi + pad];
  }
  const pad = (hi - lo) * 0.12;
  lo -= pad;
  hi += pad;
  // A concentration is never negative: do not draw the axis below zero for it.
  return [min >= 0 && lo < 0 ? 0 : lo, hi];
}

/** The x range in seconds, padded so the first and last points are not on the frame. */
export function xRange(min: number, max: number): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, DAY_S];
  const pad = max === min ? 30 * DAY_S : (max - min) * 0.04;
  return [min - pad, max + pad];
}

export interface TrendChartInput {
  points: readonly LabPoint[];
  low: number | undefined;
  high: number | undefined;
  label: string;
  width: number;
  height: number;
  formatDate(ms: number): string;
  formatValue(value: number): string;
  onHover(index: number | null): void;
}

/** The reference range as a band under the line, its limits as dashed lines. */
function drawBand(low: number | undefined, high: number | undefined) {
  return (u: uPlot) => {
    if (low === undefined && high === undefined) return;
    const { ctx, bbox } = u;
    const yMin = u.scales.y?.min ?? 0;
    const yMax = u.scales.y?.max ?? 1;
    const top = u.valToPos(Math.min(high ?? yMax, yMax), 'y', true);
    const bottom = u.valToPos(Math.max(low ?? yMin, yMin), 'y', true);
    ctx.save();
    ctx.fillStyle = CHART_COLORS.band;
    ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
    ctx.strokeStyle = CHART_COLORS.bandEdge;
    ctx.lineWidth = devicePixelRatio;
    ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
    for (const limit of [low, high]) {
      if (limit === undefined || limit < yMin || limit > yMax) continue;
      const y = Math.round(u.valToPos(limit, 'y', true)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(bbox.left, y);
      ctx.lineTo(bbox.left + bbox.width, y);
      ctx.stroke();
    }
    ctx.restore();
  };
}

/** Out-of-range results drawn filled red on top of the line (colour plus the table's H/L text). */
function drawAbnormal(points: readonly LabPoint[]) {
  return (u: uPlot) => {
    const { ctx } = u;
    ctx.save();
    ctx.fillStyle = CHART_COLORS.abnormal;
    for (const p of points) {
      if (!p.flag) continue;
      const x = u.valToPos(p.ms / 1000, 'x', true);
      const y = u.valToPos(p.value, 'y', true);
      ctx.beginPath();
      ctx.arc(x, y, 4.5 * devicePixelRatio, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.restore();
  };
}

export function trendChartOptions(input: TrendChartInput): uPlot.Options {
  const { points, low, high } = input;
  const axis = { stroke: CHART_COLORS.axis, grid: { stroke: CHART_COLORS.grid, width: 1 }, ticks: { stroke: CHART_COLORS.grid, width: 1 } };
  return {
    width: input.width,
    height: input.height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 10 } },
    scales: {
      x: { time: true, range: (_u, min, max) => xRange(min, max) },
      y: { range: (_u, min, max) => yRange(min, max, low, high) },
    },
    axes: [
      { ...axis, space: 96, values: (_u, splits) => splits.map((s) => input.formatDate(s * 1000)) },
      { ...axis, size: 56, values: (_u, splits) => splits.map((v) => input.formatValue(v)) },
    ],
    series: [
      {},
      {
        label: input.label,
        stroke: CHART_COLORS.line,
        width: 2,
        points: { show: true, size: 8, width: 2, stroke: CHART_COLORS.line, fill: CHART_COLORS.point },
      },
    ],
    hooks: {
      drawClear: [drawBand(low, high)],
      draw: [drawAbnormal(points)],
      setCursor: [(u) => input.onHover(u.cursor.idx ?? null)],
    },
  };
}

export function trendData(points: readonly LabPoint[]): uPlot.AlignedData {
  return [points.map((p) => p.ms / 1000), points.map((p) => p.value)];
}
