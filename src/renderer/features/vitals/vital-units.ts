/**
 * Vital-sign codes and units: which LOINC codes are which vital, and how a value as sent
 * becomes the ward's display unit (℃, 次/分, mmHg, %, kg, cm). Pure, no React.
 */

export type VitalKind = 'temperature' | 'pulse' | 'respiration' | 'systolic' | 'diastolic' | 'spo2' | 'weight' | 'height';

export const VITAL_KINDS: readonly VitalKind[] = [
  'temperature',
  'pulse',
  'respiration',
  'systolic',
  'diastolic',
  'spo2',
  'weight',
  'height',
];

/** LOINC → vital. 8331-1 is oral temperature; 2708-6 arterial SpO₂, 59408-5 the same by pulse oximetry. */
export const VITAL_BY_LOINC: Readonly<Record<string, VitalKind>> = {
  '8310-5': 'temperature',
  '8331-1': 'temperature',
  '8867-4': 'pulse',
  '9279-1': 'respiration',
  '8480-6': 'systolic',
  '8462-4': 'diastolic',
  '2708-6': 'spo2',
  '59408-5': 'spo2',
  '29463-7': 'weight',
  '8302-2': 'height',
};

/** The blood-pressure panel: its values are its systolic and diastolic components. */
export const BP_PANEL_LOINC = '85354-9';

/** The unit each vital is shown in (the i18n catalogue words the per-minute ones: 次/分, /min). */
export type DisplayUnit = 'celsius' | 'perMinute' | 'mmHg' | 'percent' | 'kg' | 'cm';

export const DISPLAY_UNIT: Readonly<Record<VitalKind, DisplayUnit>> = {
  temperature: 'celsius',
  pulse: 'perMinute',
  respiration: 'perMinute',
  systolic: 'mmHg',
  diastolic: 'mmHg',
  spo2: 'percent',
  weight: 'kg',
  height: 'cm',
};

type Convert = (value: number) => number;
const same: Convert = (v) => v;

/**
 * Units as systems send them (UCUM codes, printed forms, Chinese) per display unit, with the
 * conversion. Case-sensitive keys are tried first, then a lower-cased lookup.
 */
const UNITS: Readonly<Record<DisplayUnit, Readonly<Record<string, Convert>>>> = {
  celsius: {
    Cel: same,
    '℃': same,
    '°C': same,
    degC: same,
    C: same,
    '[degF]': (f) => ((f - 32) * 5) / 9,
    '°F': (f) => ((f - 32) * 5) / 9,
    '℉': (f) => ((f - 32) * 5) / 9,
    F: (f) => ((f - 32) * 5) / 9,
  },
  perMinute: {
    '/min': same,
    '{beats}/min': same,
    '{breaths}/min': same,
    '{beat}/min': same,
    '{breath}/min': same,
    bpm: same,
    '次/分': same,
    '次/min': same,
    '次/分钟': same,
    '1/min': same,
  },
  mmHg: { 'mm[Hg]': same, mmHg: same, kPa: (k) => k * 7.500_62 },
  percent: { '%': same, '1': (f) => (f <= 1 ? f * 100 : f) },
  kg: { kg: same, g: (g) => g / 1000, '[lb_av]': (lb) => lb * 0.453_592_37, lb: (lb) => lb * 0.453_592_37, 公斤: same, 千克: same },
  cm: { cm: same, m: (m) => m * 100, mm: (mm) => mm / 10, '[in_i]': (i) => i * 2.54, 厘米: same },
};

/** Decimals each display unit is rounded to after conversion (a converted 101.3 ℉ is 38.5 ℃, not 38.5000001). */
const DECIMALS: Readonly<Record<DisplayUnit, number>> = { celsius: 1, perMinute: 0, mmHg: 0, percent: 0, kg: 1, cm: 0 };

export interface NormalisedValue {
  value: number;
  unit: DisplayUnit;
  /** The value and unit as sent, when conversion changed the number. */
  original?: { value: number; unit: string };
}

/**
 * A vital's value in its display unit, or undefined when the unit is not one of its own (a
 * value the flowsheet cannot place stays on the timeline). No unit at all is read as the
 * vital's usual unit: WS/T 500 fixes the unit by the data element and many senders omit it.
 */
export function normaliseVital(kind: VitalKind, value: number, unit: string | undefined): NormalisedValue | undefined {
  if (!Number.isFinite(value)) return undefined;
  const display = DISPLAY_UNIT[kind];
  const table = UNITS[display];
  const trimmed = unit?.trim() ?? '';
  const convert = trimmed === '' ? same : (table[trimmed] ?? lowerCaseLookup(table, trimmed));
  if (!convert) return undefined;
  const f = 10 ** DECIMALS[display];
  const converted = Math.round(convert(value) * f) / f;
  return converted === value ? { value, unit: display } : { value: converted, unit: display, original: { value, unit: trimmed } };
}

function lowerCaseLookup(table: Readonly<Record<string, Convert>>, unit: string): Convert | undefined {
  const lower = unit.toLowerCase();
  for (const [key, fn] of Object.entries(table)) if (key.toLowerCase() === lower) return fn;
  return undefined;
}
