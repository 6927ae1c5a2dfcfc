/**
 * Results that give the demo something for the safety strip to show (synthetic, never a real
 * patient's): 张伟's newest potassium is 6.2 mmol/L flagged HH by the laboratory (a critical
 * value), and his newest eGFR is 24 mL/min/1.73 m² while his metformin order is active (the
 * `egfr-low-with-metformin` risk rule). Another patient has a haemoglobin of 58 g/L flagged only L
 * (critical by the configured limit alone), so tests can show one patient's value is not
 * reachable through another's.
 */
import type { DiagnosticReport, Observation } from '@medplum/fhirtypes';
import { LOINC_SYSTEM, UCUM_SYSTEM } from './clinical-catalog.ts';
import { DATA_AS_OF } from './demo-patient.ts';
import { parseInstant, toCstDateTime, toInstant } from './time.ts';

const INTERPRETATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

interface SignalResult {
  id: string;
  loinc: string;
  display: string;
  text: string;
  value: number;
  unit: string;
  flag?: { code: string; display: string };
  range: { low: number; high?: number };
  hoursBefore: number;
}

function observation(patientId: string, r: SignalResult): Observation {
  const at = parseInstant(DATA_AS_OF) - r.hoursBefore * 3_600_000;
  return {
    resourceType: 'Observation',
    id: r.id,
    meta: { versionId: '1', lastUpdated: toInstant(at + 3_600_000) },
    status: 'final',
    category: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory', display: 'Laboratory' }],
        text: '检验',
      },
    ],
    code: { coding: [{ system: LOINC_SYSTEM, code: r.loinc, display: r.display }], text: r.text },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: toCstDateTime(at),
    issued: toInstant(at + 3_600_000),
    valueQuantity: { value: r.value, unit: r.unit, system: UCUM_SYSTEM, code: r.unit },
    referenceRange: [
      {
        low: { value: r.range.low, unit: r.unit, system: UCUM_SYSTEM, code: r.unit },
        ...(r.range.high !== undefined ? { high: { value: r.range.high, unit: r.unit, system: UCUM_SYSTEM, code: r.unit } } : {}),
        text: r.range.high !== undefined ? `${r.range.low}–${r.range.high} ${r.unit}` : `≥${r.range.low} ${r.unit}`,
      },
    ],
    ...(r.flag ? { interpretation: [{ coding: [{ system: INTERPRETATION_SYSTEM, code: r.flag.code, display: r.flag.display }] }] } : {}),
  };
}

/** Ids are fixed so tests and the e2e can name the entries. */
export const DEMO_CRITICAL_POTASSIUM_ID = 'pat-0001-crit-k';
export const DEMO_LOW_EGFR_ID = 'pat-0001-egfr';
export const OTHER_CRITICAL_HEMOGLOBIN_ID = 'crit-hgb';

/** The morning's chemistry as one laboratory report, as the visits' panels are (the LIS sends it as one order). */
function report(patientId: string, id: string, results: readonly Observation[]): DiagnosticReport {
  const first = results[0]!;
  return {
    resourceType: 'DiagnosticReport',
    id,
    meta: first.meta!,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB', display: 'Laboratory' }], text: '检验' }],
    code: { coding: [{ system: LOINC_SYSTEM, code: '11502-2', display: 'Laboratory report' }], text: '检验报告' },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: first.effectiveDateTime!,
    issued: first.issued!,
    result: results.map((o) => ({ reference: `Observation/${o.id}` })),
  };
}

export function demoPatientSignals(patientId: string): (Observation | DiagnosticReport)[] {
  const results = [
    observation(patientId, {
      id: DEMO_CRITICAL_POTASSIUM_ID,
      loinc: '2823-3',
      display: 'Potassium [Moles/volume] in Serum or Plasma',
      text: '钾',
      value: 6.2,
      unit: 'mmol/L',
      flag: { code: 'HH', display: 'Critical high' },
      range: { low: 3.5, high: 5.3 },
      hoursBefore: 2,
    }),
    observation(patientId, {
      id: DEMO_LOW_EGFR_ID,
      loinc: '62238-1',
      display:
        'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)',
      text: '估算肾小球滤过率',
      value: 24,
      unit: 'mL/min/{1.73_m2}',
      flag: { code: 'L', display: 'Low' },
      range: { low: 90 },
      hoursBefore: 2,
    }),
  ];
  return [...results, report(patientId, `${patientId}-rpt-signals`, results)];
}

export function otherPatientSignals(patientId: string): Observation[] {
  return [
    observation(patientId, {
      id: `${patientId}-${OTHER_CRITICAL_HEMOGLOBIN_ID}`,
      loinc: '718-7',
      display: 'Hemoglobin [Mass/volume] in Blood',
      text: '血红蛋白',
      value: 58,
      unit: 'g/L',
      flag: { code: 'L', display: 'Low' },
      range: { low: 115, high: 150 },
      hoursBefore: 5,
    }),
  ];
}
