import type { LabValue } from '../../shared/domain/timeline.ts';

type NumberFormat = (value: number, options?: Intl.NumberFormatOptions) => string;

/**
 * UCUM codes are exact but not what a Chinese lab report prints: "10*9/L" is written ×10⁹/L,
 * "umol/L" µmol/L. Only the display changes; the code stays in titles and the raw resource.
 */
const UCUM_DISPLAY: Record<string, string> = {
  '10*9/L': '×10⁹/L',
  '10*12/L': '×10¹²/L',
  '10*3/uL': '×10³/µL',
  '10*6/uL': '×10⁶/µL',
  'umol/L': 'µmol/L',
  'ug/L': 'µg/L',
  'ug/dL': 'µg/dL',
  'uU/mL': 'µU/mL',
  '[IU]/L': 'IU/L',
  'mm[Hg]': 'mmHg',
};

export function unitText(unit: string | undefined): string {
  if (!unit) return '';
  return UCUM_DISPLAY[unit] ?? unit;
}

/**
 * A converted value has spurious digits (136 mg/dL → 7.549 mmol/L): three significant digits,
 * but never rounding off integer digits (1234 stays 1234). Values as sent are shown as sent.
 */
export function labNumber(num: NumberFormat, value: number, converted: boolean): string {
  return converted
    ? num(value, { maximumSignificantDigits: 3, maximumFractionDigits: 0, roundingPriority: 'morePrecision', useGrouping: false })
    : num(value, { maximumFractionDigits: 6, useGrouping: false });
}

/**
 * True when normalisation changed the number (mg/dL → mmol/L). A unit only respelled
 * ("10^9/L" → "10*9/L") keeps its number and is not worth a second value on screen.
 */
export function wasConverted(lab: LabValue): boolean {
  return lab.original?.value !== undefined && lab.value !== undefined && lab.original.value !== lab.value;
}

export interface LabValueText {
  /** "7.55" */
  value: string;
  /** "mmol/L" */
  unit: string;
  /** "136 mg/dL" when the value was converted from another unit. */
  original?: string;
  /** "3.89–5.50 mmol/L", "≤ 0.04 ng/mL" */
  range?: string;
}

export function rangeText(num: NumberFormat, lab: LabValue, converted = wasConverted(lab), withUnit = true): string | undefined {
  const u = withUnit ? unitText(lab.unit) : '';
  const n = (v: number) => labNumber(num, v, converted);
  const suffix = u ? ` ${u}` : '';
  if (lab.low !== undefined && lab.high !== undefined) return `${n(lab.low)}–${n(lab.high)}${suffix}`;
  if (lab.low !== undefined) return `≥ ${n(lab.low)}${suffix}`;
  if (lab.high !== undefined) return `≤ ${n(lab.high)}${suffix}`;
  return undefined;
}

/** The normalised value as shown everywhere, with what the source sent when it differed. */
export function labValueText(num: NumberFormat, lab: LabValue): LabValueText | undefined {
  if (lab.value === undefined) return undefined;
  const converted = wasConverted(lab);
  const text: LabValueText = { value: labNumber(num, lab.value, converted), unit: unitText(lab.unit) };
  if (converted && lab.original?.value !== undefined) {
    text.original = `${labNumber(num, lab.original.value, false)} ${unitText(lab.original.unit)}`.trim();
  }
  const range = rangeText(num, lab, converted);
  if (range) text.range = range;
  return text;
}

export type LabFlag = 'H' | 'L';

/** H/L from the normalised value against the normalised range of the same result. */
export function flagFromRange(lab: LabValue | undefined): LabFlag | undefined {
  if (!lab || lab.value === undefined) return undefined;
  if (lab.high !== undefined && lab.value > lab.high) return 'H';
  if (lab.low !== undefined && lab.value < lab.low) return 'L';
  return undefined;
}

const NUMBER_AND_UNIT = /^([<>≤≥]?)(-?\d+(?:\.\d+)?)(?:\s+(.+))?$/;

/**
 * Conflict values arrive as text ("7.549 mmol/L"); shown with the same rounding and unit
 * display as the table so two sources' values can be compared at a glance.
 */
export function prettyValue(num: NumberFormat, raw: string): string {
  const m = NUMBER_AND_UNIT.exec(raw.trim());
  if (!m) return raw;
  const value = Number(m[2]);
  if (!Number.isFinite(value)) return raw;
  const unit = m[3] ? ` ${unitText(m[3])}` : '';
  // Three or more decimals only come from a unit conversion (the service rounds to 0.001).
  const decimals = m[2]!.split('.')[1]?.length ?? 0;
  return `${m[1] ?? ''}${labNumber(num, value, decimals >= 3)}${unit}`;
}
