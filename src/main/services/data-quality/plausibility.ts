/**
 * Values no human sample can have, per canonical LOINC in the timeline's canonical unit: a
 * result outside is a unit, decimal-point or transcription error, not an extreme patient.
 *
 * Where the limits come from: they are this project's own engineering bounds, not a published
 * standard. Each is set well outside the extreme values clinical laboratories report as
 * survivable or analytically measurable (e.g. potassium 0.5–15 mmol/L, where the reportable
 * range of common analysers is about 1–10), so that a true critical value is never flagged;
 * only a physically impossible one is. Reviewers may widen a bound; narrowing one needs a source.
 */
export interface PlausibleRange {
  low: number;
  high: number;
  unit: string;
}

export const PLAUSIBLE_RANGES: Readonly<Record<string, PlausibleRange>> = {
  '14749-6': { low: 0, high: 150, unit: 'mmol/L' }, // glucose
  '4548-4': { low: 2, high: 25, unit: '%' }, // HbA1c
  '14682-9': { low: 1, high: 5000, unit: 'umol/L' }, // creatinine
  '22664-7': { low: 0, high: 200, unit: 'mmol/L' }, // urea
  '14937-7': { low: 0, high: 200, unit: 'mmol/L' }, // urea nitrogen
  '14933-6': { low: 0, high: 3000, unit: 'umol/L' }, // urate
  '2823-3': { low: 0.5, high: 15, unit: 'mmol/L' }, // potassium
  '2951-2': { low: 80, high: 220, unit: 'mmol/L' }, // sodium
  '2075-0': { low: 40, high: 180, unit: 'mmol/L' }, // chloride
  '2000-8': { low: 0.2, high: 7, unit: 'mmol/L' }, // calcium
  '2885-2': { low: 10, high: 200, unit: 'g/L' }, // total protein
  '1751-7': { low: 3, high: 80, unit: 'g/L' }, // albumin
  '718-7': { low: 10, high: 300, unit: 'g/L' }, // hemoglobin
  '6690-2': { low: 0, high: 1000, unit: '10*9/L' }, // white cells
  '789-8': { low: 0.2, high: 12, unit: '10*12/L' }, // red cells
  '4544-3': { low: 0.03, high: 0.9, unit: 'L/L' }, // hematocrit
  '777-3': { low: 0, high: 5000, unit: '10*9/L' }, // platelets
  '6301-6': { low: 0.5, high: 30, unit: '{INR}' }, // INR
};

// A Map, not the object: looked up for every result of a large build, by a key from the data.
const RANGES = new Map(Object.entries(PLAUSIBLE_RANGES));

/** The range a result of this LOINC in this unit is held to, or undefined (no range, or another unit). */
export function plausibleRangeFor(loinc: string, unit: string | undefined): PlausibleRange | undefined {
  const range = RANGES.get(loinc);
  return range !== undefined && unit === range.unit ? range : undefined;
}

/** The side of `range` a value breaks, or undefined when it is plausible. */
export function brokenSide(range: PlausibleRange, value: number): 'low' | 'high' | undefined {
  if (value < range.low) return 'low';
  if (value > range.high) return 'high';
  return undefined;
}
