/**
 * Where things go on the 体温单 grid: one column per day split into six slot columns, the
 * temperature and pulse sharing one grid on their conventional scales (35 ℃ ↔ 40 次/分, each
 * degree 20 beats, so a pulse that follows the fever runs beside it), rows of numbers beneath.
 */
import { SLOTS_PER_DAY } from './vitals-model.ts';

export const SLOT_W = 26;
export const DAY_W = SLOT_W * SLOTS_PER_DAY;

/** Header rows: date, hospital day, slot hours. */
export const HEADER_ROW_H = 22;
export const HEADER_ROWS = 3;
export const HEADER_H = HEADER_ROW_H * HEADER_ROWS;

export const TEMP_MIN = 35;
export const TEMP_MAX = 42;
/** A grid line every 0.2 ℃ (4 beats), as printed chart paper has it. */
export const TEMP_STEP = 0.2;
export const STEP_H = 7;
export const PLOT_H = Math.round((TEMP_MAX - TEMP_MIN) / TEMP_STEP) * STEP_H;

/** Rows of numbers under the chart: respiration, blood pressure, SpO₂, weight. */
export const NUMBER_ROWS = ['respiration', 'bloodPressure', 'spo2', 'weight'] as const;
export type NumberRow = (typeof NUMBER_ROWS)[number];
export const NUMBER_ROW_H = 24;
export const TOTAL_H = HEADER_H + PLOT_H + NUMBER_ROWS.length * NUMBER_ROW_H;

export function pulseAt(temperature: number): number {
  return 40 + (temperature - TEMP_MIN) * 20;
}

export function temperatureY(celsius: number): number {
  const clamped = Math.min(TEMP_MAX, Math.max(TEMP_MIN, celsius));
  return HEADER_H + ((TEMP_MAX - clamped) / (TEMP_MAX - TEMP_MIN)) * PLOT_H;
}

/** Pulse on the temperature grid: 40 次/分 at 35 ℃ up to 180 at 42 ℃. */
export function pulseY(perMinute: number): number {
  return temperatureY(TEMP_MIN + (perMinute - 40) / 20);
}

/** True when the value is off the printed scale: drawn at the edge, marked as such. */
export function offScale(kind: 'temperature' | 'pulse', value: number): boolean {
  return kind === 'temperature' ? value < TEMP_MIN || value > TEMP_MAX : value < pulseAt(TEMP_MIN) || value > pulseAt(TEMP_MAX);
}

export function slotX(dayIndex: number, slot: number): number {
  return dayIndex * DAY_W + slot * SLOT_W + SLOT_W / 2;
}

export function numberRowY(row: NumberRow): number {
  return HEADER_H + PLOT_H + NUMBER_ROWS.indexOf(row) * NUMBER_ROW_H;
}
