/**
 * Default critical limits (危急值界限) per analyte, in the canonical LOINC and unit the timeline
 * normalises results to (src/main/services/timeline/normalize/analytes.ts), so a result sent in
 * mg/dL is compared after conversion.
 *
 * Source: "Table of Critical Limits", Medical Laboratory Observer (MLO) Clinical Laboratory
 * Reference 2023–2024, G. J. Kost and K. N. Hale — the adult mean low and high limits of Kost's
 * national surveys of US medical centres (page read at
 * https://content.yudu.com/web/1gmmj/0A1gmn1/CLR2023-2024/html/8.html). Only the rows whose
 * adult means could be read there are taken; every value is that table's mean, in SI units.
 * They are illustrative defaults for a demo and a starting point: each hospital's laboratory
 * publishes its own list (中国的医院按本院检验科公布的危急值项目及界限), which replaces these
 * in the configuration (`clinicalAlerts.criticalLimits`).
 */
export interface CriticalLimitDefault {
  loinc: string;
  unit: string;
  low?: number;
  high?: number;
}

export const CRITICAL_LIMITS_SOURCE =
  'MLO Clinical Laboratory Reference 2023–2024, Table of Critical Limits (G. J. Kost, K. N. Hale), adult means';

export const DEFAULT_CRITICAL_LIMITS: readonly CriticalLimitDefault[] = [
  /** Glucose: 2.6 / 26.9 mmol/L (46 / 484 mg/dL). */
  { loinc: '14749-6', unit: 'mmol/L', low: 2.6, high: 26.9 },
  /** Potassium: 2.8 / 6.2 mmol/L. */
  { loinc: '2823-3', unit: 'mmol/L', low: 2.8, high: 6.2 },
  /** Calcium (total): 1.65 / 3.22 mmol/L (6.6 / 12.9 mg/dL). */
  { loinc: '2000-8', unit: 'mmol/L', low: 1.65, high: 3.22 },
  /** Sodium: 120 / 158 mmol/L. */
  { loinc: '2951-2', unit: 'mmol/L', low: 120, high: 158 },
  /** Hemoglobin: low 66 g/L. */
  { loinc: '718-7', unit: 'g/L', low: 66 },
  /** Platelets: low 37 × 10⁹/L. */
  { loinc: '777-3', unit: '10*9/L', low: 37 },
  /** Leukocytes: low 2.0 × 10⁹/L. */
  { loinc: '6690-2', unit: '10*9/L', low: 2.0 },
];
