/** Draws one laboratory Observation: a realistic value, its reference range and H/L/N flag. */
import type { Observation } from '@medplum/fhirtypes';
import { LOINC_SYSTEM, UCUM_SYSTEM, type LabDef } from './clinical-catalog.ts';
import type { Sex } from './patient-demographics.ts';
import type { Prng } from './prng.ts';
import { toCstDateTime, toInstant } from './time.ts';

const INTERPRETATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const INTERPRETATION_DISPLAY = { H: 'High', L: 'Low', N: 'Normal' } as const;

export interface LabDraw {
  id: string;
  patientId: string;
  encounterId?: string;
  lab: LabDef;
  sex: Sex;
  /** How far this patient's illness pushes the value, in standard deviations of the normal range. */
  shiftSd: number;
  atMs: number;
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

export function drawLabValue(prng: Prng, lab: LabDef, sex: Sex, shiftSd: number): number {
  const { low, high } = lab.range[sex];
  const sd = (high - low) / 4;
  const value = prng.normal((low + high) / 2 + shiftSd * sd, sd);
  // Never below a tenth of the lower limit: a negative haemoglobin is not "realistic".
  return round(Math.max(value, low / 10), lab.decimals);
}

export function interpret(value: number, low: number, high: number): 'H' | 'L' | 'N' {
  if (value > high) return 'H';
  if (value < low) return 'L';
  return 'N';
}

export function buildLabObservation(prng: Prng, draw: LabDraw): Observation {
  const { lab, sex } = draw;
  const { low, high } = lab.range[sex];
  const value = drawLabValue(prng, lab, sex, draw.shiftSd);
  const flag = interpret(value, low, high);
  return {
    resourceType: 'Observation',
    id: draw.id,
    meta: { versionId: '1', lastUpdated: toInstant(draw.atMs + 2 * 3_600_000) },
    status: 'final',
    category: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory', display: 'Laboratory' }],
        text: '检验',
      },
    ],
    code: { coding: [{ system: LOINC_SYSTEM, code: lab.loinc, display: lab.display }], text: lab.display.split(' ')[0] },
    subject: { reference: `Patient/${draw.patientId}` },
    ...(draw.encounterId ? { encounter: { reference: `Encounter/${draw.encounterId}` } } : {}),
    effectiveDateTime: toCstDateTime(draw.atMs),
    issued: toInstant(draw.atMs + 2 * 3_600_000),
    valueQuantity: { value, unit: lab.unit, system: UCUM_SYSTEM, code: lab.unit },
    interpretation: [{ coding: [{ system: INTERPRETATION_SYSTEM, code: flag, display: INTERPRETATION_DISPLAY[flag] }] }],
    referenceRange: [
      {
        low: { value: low, unit: lab.unit, system: UCUM_SYSTEM, code: lab.unit },
        high: { value: high, unit: lab.unit, system: UCUM_SYSTEM, code: lab.unit },
        text: `${low}–${high} ${lab.unit}`,
      },
    ],
  };
}
