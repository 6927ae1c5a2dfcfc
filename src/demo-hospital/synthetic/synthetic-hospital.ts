/**
 * The demo hospital's patient population, generated from a seed: the same seed gives the same
 * patients, ids, values and timestamps on every run and machine.
 */
import type { Patient, Resource } from '@medplum/fhirtypes';
import { buildClinicalHistory, type CareAssignment } from './clinical-history.ts';
import { buildChinesePatient, buildDemoPatient, buildEnglishPatient, type Demographics } from './patient-demographics.ts';
import { createPrng } from './prng.ts';
import { demoRadiologyReport } from './radiology-report.ts';
import { demoMrOrder } from './imaging-orders.ts';
import { generateWardCensus } from './ward-census.ts';
import { demoPatientSignals, otherPatientSignals } from './safety-signals.ts';

export const DEFAULT_SEED = 20250630;

/** The demo hospital's wards; the demo users' ward claims name these codes. */
export const DEMO_WARDS = {
  cardiology: { code: 'CARD-1', display: '心内科一病区 Cardiology Ward 1' },
  respiratory: { code: 'RESP-2', display: '呼吸科二病区 Respiratory Ward 2' },
} as const;
/** 李医生, the demo ward doctor, attends the demo patient's stay. */
export const DEMO_ATTENDING = { id: 'D1001', display: '李医生' } as const;

/** Inpatients alternate between the two wards; the demo patient is on cardiology under 李医生. */
function careOf(index: number): CareAssignment {
  if (index === 0) return { ward: DEMO_WARDS.cardiology, attending: DEMO_ATTENDING };
  return { ward: index % 2 === 1 ? DEMO_WARDS.respiratory : DEMO_WARDS.cardiology };
}

/**
 * The name pools hold 112 distinct names per sex: past this many, a large hospital gets
 * namesakes (as real ones do) instead of drawing forever for an unused name. Below it, output
 * is what it always was. The demo patient's 张伟 stays unique.
 */
const DISTINCT_NAMES_LIMIT = 100;

export interface SyntheticHospitalOptions {
  seed?: number;
  /** Chinese patients besides the demo patient (default 7). */
  chinesePatients?: number;
  /** Extra lab Observations for the demo patient, for benchmarks (default 0). */
  extraObservations?: number;
  /** Add the current inpatients of the wards (ward-census.ts), in hospital as of this instant (epoch ms). */
  wardCensusAsOf?: number;
}

export interface SyntheticPatientSummary extends Demographics {
  resourceCount: number;
}

export interface SyntheticHospital {
  seed: number;
  patients: SyntheticPatientSummary[];
  /** Every resource, Patients first, ready to load into a FHIR repository. */
  resources: Resource[];
}

export function generateSyntheticHospital(options: SyntheticHospitalOptions = {}): SyntheticHospital {
  const seed = options.seed ?? DEFAULT_SEED;
  const chineseCount = options.chinesePatients ?? 7;
  // Demographics draw from one stream and each patient's history from its own, so a benchmark
  // knob on the demo patient never changes anybody else's records.
  const people = createPrng(seed);
  const usedNames = new Set<string>(['张伟']);

  const built: { patient: Patient; demographics: Demographics }[] = [buildDemoPatient(people)];
  for (let i = 0; i < chineseCount; i++) {
    if (usedNames.size >= DISTINCT_NAMES_LIMIT) {
      usedNames.clear();
      usedNames.add('张伟');
    }
    built.push(buildChinesePatient(people, built.length, usedNames));
  }
  built.push(buildEnglishPatient(people, built.length, 'male', usedNames));
  built.push(buildEnglishPatient(people, built.length, 'female', usedNames));

  const patients: SyntheticPatientSummary[] = [];
  const clinical: Resource[] = [];
  for (const [index, { demographics }] of built.entries()) {
    const history = createPrng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
    const isDemo = demographics.id === built[0]?.demographics.id;
    const records = buildClinicalHistory(
      history,
      demographics,
      isDemo
        ? {
            conditions: ['diabetes', 'hypertension', 'hyperlipidemia'],
            encounterCount: 8,
            inpatientStay: true,
            vitalSigns: true,
            allergy: 0,
            extraObservations: options.extraObservations ?? 0,
            care: careOf(index),
          }
        : { care: careOf(index) },
    );
    // After the history, from no random stream: the rest of the data set is unchanged by them.
    if (isDemo) {
      records.push(...demoPatientSignals(demographics.id), ...demoRadiologyReport(demographics.id, seed, DEMO_ATTENDING.display));
      records.push(demoMrOrder(demographics.id, seed, records));
    } else if (index === 1) records.push(...otherPatientSignals(demographics.id));
    clinical.push(...records);
    patients.push({ ...demographics, resourceCount: records.length + 1 });
  }
  const census =
    options.wardCensusAsOf !== undefined ? generateWardCensus({ seed, asOf: options.wardCensusAsOf, usedNames }).resources : [];
  return { seed, patients, resources: [...built.map((b) => b.patient), ...clinical, ...census] };
}
