/**
 * The nursing chart of an inpatient stay as a CDR holds it: FHIR vital-signs Observations
 * (temperature, pulse, respiration, blood-pressure panel with components, SpO₂, weight, height)
 * at the ward's measuring times. Values follow a fixed pneumonia course (fever settling on the
 * third day) rather than the random stream, so adding vitals never changes any other record.
 */
import type { Observation, Patient, Reference } from '@medplum/fhirtypes';
import { LOINC_SYSTEM, UCUM_SYSTEM } from './clinical-catalog.ts';
import { DAY_MS, toCstDateTime, toInstant } from './time.ts';

const CATEGORY = [
  {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }],
    text: '生命体征',
  },
];
const INTERPRETATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const CST_OFFSET_MS = 8 * 3_600_000;
const HOUR_MS = 3_600_000;

interface VitalDef {
  loinc: string;
  display: string;
  text: string;
  unit: string;
  ucum: string;
  low?: number;
  high?: number;
}

export const VITAL_DEFS = {
  temperature: { loinc: '8310-5', display: 'Body temperature', text: '体温', unit: 'Cel', ucum: 'Cel', low: 36, high: 37.3 },
  pulse: { loinc: '8867-4', display: 'Heart rate', text: '脉搏', unit: '/min', ucum: '/min', low: 60, high: 100 },
  respiration: { loinc: '9279-1', display: 'Respiratory rate', text: '呼吸', unit: '/min', ucum: '/min', low: 12, high: 20 },
  spo2: {
    loinc: '59408-5',
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    text: '血氧饱和度',
    unit: '%',
    ucum: '%',
    low: 95,
    high: 100,
  },
  weight: { loinc: '29463-7', display: 'Body weight', text: '体重', unit: 'kg', ucum: 'kg' },
  height: { loinc: '8302-2', display: 'Body height', text: '身高', unit: 'cm', ucum: 'cm' },
  systolic: { loinc: '8480-6', display: 'Systolic blood pressure', text: '收缩压', unit: 'mm[Hg]', ucum: 'mm[Hg]', low: 90, high: 139 },
  diastolic: { loinc: '8462-4', display: 'Diastolic blood pressure', text: '舒张压', unit: 'mm[Hg]', ucum: 'mm[Hg]', low: 60, high: 89 },
} as const satisfies Record<string, VitalDef>;

/** Temperature (℃) at 06, 10, 14, 18 h of each hospital day: fever, settling by day 3. */
const TEMPERATURE_COURSE: readonly (readonly number[])[] = [
  [38.9, 38.6, 39.2, 38.7],
  [38.4, 38.0, 38.5, 38.1],
  [37.6, 37.2, 37.5, 37.0],
];
const AFEBRILE = [36.6, 36.8, 36.9, 36.7];
const SLOT_HOURS = [6, 10, 14, 18] as const;

/** Values measured on admission (入院时), also written into the admission note and sent by the LIS. */
export interface AdmissionVitals {
  atMs: number;
  temperature: number;
  pulse: number;
  respiration: number;
  systolic: number;
  diastolic: number;
  spo2: number;
  weight: number;
  height: number;
}

export function admissionVitals(admittedMs: number): AdmissionVitals {
  return {
    atMs: admittedMs,
    temperature: 38.8,
    pulse: 108,
    respiration: 24,
    systolic: 152,
    diastolic: 94,
    spo2: 93,
    weight: 72.5,
    height: 172,
  };
}

function flag(def: VitalDef, value: number): string | undefined {
  if (def.high !== undefined && value > def.high) return 'H';
  if (def.low !== undefined && value < def.low) return 'L';
  return def.low !== undefined || def.high !== undefined ? 'N' : undefined;
}

function quantity(def: VitalDef, value: number) {
  return { value, unit: def.unit, system: UCUM_SYSTEM, code: def.ucum };
}

function interpretation(code: string | undefined) {
  return code ? [{ coding: [{ system: INTERPRETATION_SYSTEM, code }] }] : undefined;
}

interface Context {
  id: () => string;
  patientRef: Reference<Patient>;
  encounterId: string;
}

function vital(ctx: Context, def: VitalDef, value: number, atMs: number): Observation {
  const interp = interpretation(flag(def, value));
  return {
    resourceType: 'Observation',
    id: ctx.id(),
    meta: { versionId: '1', lastUpdated: toInstant(atMs + 15 * 60_000) },
    status: 'final',
    category: CATEGORY,
    code: { coding: [{ system: LOINC_SYSTEM, code: def.loinc, display: def.display }], text: def.text },
    subject: ctx.patientRef,
    encounter: { reference: `Encounter/${ctx.encounterId}` },
    effectiveDateTime: toCstDateTime(atMs),
    valueQuantity: quantity(def, value),
    ...(interp ? { interpretation: interp } : {}),
  };
}

/** The blood-pressure panel (85354-9) with systolic and diastolic as components, as FHIR's vital-signs profile has it. */
function bloodPressure(ctx: Context, systolic: number, diastolic: number, atMs: number): Observation {
  const component = (def: VitalDef, value: number) => {
    const interp = interpretation(flag(def, value));
    return {
      code: { coding: [{ system: LOINC_SYSTEM, code: def.loinc, display: def.display }], text: def.text },
      valueQuantity: quantity(def, value),
      ...(interp ? { interpretation: interp } : {}),
    };
  };
  return {
    resourceType: 'Observation',
    id: ctx.id(),
    meta: { versionId: '1', lastUpdated: toInstant(atMs + 15 * 60_000) },
    status: 'final',
    category: CATEGORY,
    code: { coding: [{ system: LOINC_SYSTEM, code: '85354-9', display: 'Blood pressure panel with all children optional' }], text: '血压' },
    subject: ctx.patientRef,
    encounter: { reference: `Encounter/${ctx.encounterId}` },
    effectiveDateTime: toCstDateTime(atMs),
    component: [component(VITAL_DEFS.systolic, systolic), component(VITAL_DEFS.diastolic, diastolic)],
  };
}

/** Local midnight (UTC+8) of the day holding epochMs. */
function cstMidnight(epochMs: number): number {
  return Math.floor((epochMs + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS;
}

export interface StayVitalsInput {
  nextId: () => string;
  patientRef: Reference<Patient>;
  encounterId: string;
  startMs: number;
  endMs: number;
}

/** Every vital sign of one stay: the admission set, then T/P/R four times a day, BP twice, SpO₂ and weight daily-ish. */
export function buildStayVitals(input: StayVitalsInput): Observation[] {
  const ctx: Context = { id: input.nextId, patientRef: input.patientRef, encounterId: input.encounterId };
  const adm = admissionVitals(input.startMs);
  const out: Observation[] = [
    vital(ctx, VITAL_DEFS.temperature, adm.temperature, adm.atMs),
    vital(ctx, VITAL_DEFS.pulse, adm.pulse, adm.atMs),
    vital(ctx, VITAL_DEFS.respiration, adm.respiration, adm.atMs),
    bloodPressure(ctx, adm.systolic, adm.diastolic, adm.atMs),
    vital(ctx, VITAL_DEFS.spo2, adm.spo2, adm.atMs),
    vital(ctx, VITAL_DEFS.weight, adm.weight, adm.atMs),
    vital(ctx, VITAL_DEFS.height, adm.height, adm.atMs),
  ];
  const firstDay = cstMidnight(input.startMs);
  for (let day = 0; firstDay + day * DAY_MS < input.endMs; day++) {
    const temps = TEMPERATURE_COURSE[day] ?? AFEBRILE;
    SLOT_HOURS.forEach((hour, slot) => {
      const at = firstDay + day * DAY_MS + hour * HOUR_MS;
      // Only between admission and discharge: the chart has nothing before the patient came.
      if (at <= input.startMs || at >= input.endMs) return;
      const t = temps[slot]!;
      // Pulse rises about 10/min per degree of fever; respiration with it.
      const pulse = Math.round(76 + (t - 37) * 12 + (slot % 2) * 3);
      const resp = t >= 38 ? 22 : 18;
      out.push(
        vital(ctx, VITAL_DEFS.temperature, t, at),
        vital(ctx, VITAL_DEFS.pulse, pulse, at),
        vital(ctx, VITAL_DEFS.respiration, resp, at),
      );
      if (hour === 10 || hour === 18) {
        const sys = day < 2 ? 146 - slot * 2 : 132 - slot;
        const dia = day < 2 ? 90 - slot : 82 - slot;
        out.push(bloodPressure(ctx, sys, dia, at));
      }
      if (hour === 10) out.push(vital(ctx, VITAL_DEFS.spo2, day === 0 ? 94 : day === 1 ? 96 : 98, at));
      if (hour === 6 && day > 0 && day % 3 === 0) out.push(vital(ctx, VITAL_DEFS.weight, Math.round((72.5 - day * 0.2) * 10) / 10, at));
    });
  }
  return out;
}
