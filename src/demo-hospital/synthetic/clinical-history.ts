/**
 * Builds one patient's history over several years: encounters (outpatient and inpatient, with
 * periods), diagnoses, lab panels at each visit, prescriptions and allergies.
 */
import type {
  AllergyIntolerance,
  Condition,
  DiagnosticReport,
  Encounter,
  MedicationRequest,
  Patient,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { ALLERGIES, CONDITIONS, ICD10_SYSTEM, LABS, LOINC_SYSTEM, PNEUMONIA, ATC_SYSTEM, type ConditionDef } from './clinical-catalog.ts';
import { buildLabObservation } from './lab-results.ts';
import { buildStayVitals } from './vital-signs.ts';
import type { Demographics } from './patient-demographics.ts';
import type { Prng } from './prng.ts';
import { DAY_MS, parseInstant, toCstDateTime, toInstant } from './time.ts';
import { DATA_AS_OF } from './demo-patient.ts';

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const HISTORY_START_MS = parseInstant('2019-01-07T08:00:00+08:00');
const HISTORY_END_MS = parseInstant(DATA_AS_OF) - 30 * DAY_MS;

export interface HistoryOptions {
  /** Condition keys of CONDITIONS; random ones are drawn when absent. */
  conditions?: readonly string[];
  encounterCount?: number;
  inpatientStay?: boolean;
  allergy?: number;
  /** Extra lab Observations (outside encounters) for benchmarks. */
  extraObservations?: number;
  /** The ward (and attending doctor) of the inpatient stay: what the access rules look at. */
  care?: CareAssignment;
  /** The inpatient stay's nursing chart (vital signs); only the demo patient has one, so other records stay as they were. */
  vitalSigns?: boolean;
}

/** Where an inpatient stay happened and who treated the patient there. */
export interface CareAssignment {
  ward: { code: string; display: string };
  attending?: { id: string; display: string };
}

export const DEMO_WARD_SYSTEM = 'urn:huizhen:demo:ward';
export const DEMO_PRACTITIONER_SYSTEM = 'urn:huizhen:demo:practitioner';

interface Visit {
  id: string;
  startMs: number;
  endMs: number;
  inpatient: boolean;
}

/** A counter per resource type so ids read like "pat-0001-obs-0012". */
function idMaker(patientId: string): (kind: string) => string {
  const counters = new Map<string, number>();
  return (kind) => {
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    return `${patientId}-${kind}-${String(n).padStart(4, '0')}`;
  };
}

function meta(atMs: number): { versionId: string; lastUpdated: string } {
  return { versionId: '1', lastUpdated: toInstant(atMs) };
}

function planVisits(prng: Prng, nextId: (kind: string) => string, count: number, inpatientStay: boolean): Visit[] {
  const starts = Array.from({ length: count }, () => {
    const day = prng.int(0, Math.floor((HISTORY_END_MS - HISTORY_START_MS) / DAY_MS));
    // Clinics open 08:00–11:30.
    return HISTORY_START_MS + day * DAY_MS + prng.int(0, 210) * 60_000;
  }).sort((a, b) => a - b);
  const inpatientIndex = inpatientStay ? prng.int(1, Math.max(1, count - 1)) : -1;
  return starts.map((startMs, i) => {
    const inpatient = i === inpatientIndex;
    const endMs = inpatient ? startMs + prng.int(3, 9) * DAY_MS : startMs + prng.int(15, 50) * 60_000;
    return { id: nextId('enc'), startMs, endMs, inpatient };
  });
}

function encounterResource(
  visit: Visit,
  patientRef: Reference<Patient>,
  reason: ConditionDef,
  care: CareAssignment | undefined,
): Encounter {
  const stay = visit.inpatient ? care : undefined;
  return {
    resourceType: 'Encounter',
    id: visit.id,
    meta: meta(visit.endMs),
    status: 'finished',
    class: visit.inpatient
      ? { system: ACT_CODE, code: 'IMP', display: 'inpatient encounter' }
      : { system: ACT_CODE, code: 'AMB', display: 'ambulatory' },
    type: [{ text: visit.inpatient ? '住院' : '门诊' }],
    subject: patientRef,
    period: { start: toCstDateTime(visit.startMs), end: toCstDateTime(visit.endMs) },
    reasonCode: [{ coding: [{ system: ICD10_SYSTEM, code: reason.icd10, display: reason.display }], text: reason.display }],
    serviceProvider: { display: '汇诊示范医院 Demo Hospital' },
    ...(stay
      ? { location: [{ location: { identifier: { system: DEMO_WARD_SYSTEM, value: stay.ward.code }, display: stay.ward.display } }] }
      : {}),
    ...(stay?.attending
      ? {
          participant: [
            {
              type: [
                { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'ATND', display: 'attender' }] },
              ],
              individual: { identifier: { system: DEMO_PRACTITIONER_SYSTEM, value: stay.attending.id }, display: stay.attending.display },
            },
          ],
        }
      : {}),
  };
}

function conditionResource(id: string, def: ConditionDef, patientRef: Reference<Patient>, visit: Visit, resolved: boolean): Condition {
  return {
    resourceType: 'Condition',
    id,
    meta: meta(visit.startMs + 3_600_000),
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: resolved ? 'resolved' : 'active' }],
    },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
    code: { coding: [{ system: ICD10_SYSTEM, code: def.icd10, display: def.display }], text: def.display },
    subject: patientRef,
    encounter: { reference: `Encounter/${visit.id}` },
    onsetDateTime: toCstDateTime(visit.startMs),
    ...(resolved ? { abatementDateTime: toCstDateTime(visit.endMs) } : {}),
    recordedDate: toCstDateTime(visit.startMs),
  };
}

function medicationRequest(id: string, def: ConditionDef, patientRef: Reference<Patient>, visit: Visit): MedicationRequest | undefined {
  const med = def.medication;
  if (!med) return undefined;
  return {
    resourceType: 'MedicationRequest',
    id,
    meta: meta(visit.startMs + 2 * 3_600_000),
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: ATC_SYSTEM, code: med.atc, display: med.display }], text: med.display },
    subject: patientRef,
    encounter: { reference: `Encounter/${visit.id}` },
    authoredOn: toCstDateTime(visit.startMs + 30 * 60_000),
    reasonCode: [{ coding: [{ system: ICD10_SYSTEM, code: def.icd10, display: def.display }] }],
    dosageInstruction: [{ text: med.dosage }],
  };
}

function allergyResource(id: string, index: number, patientRef: Reference<Patient>, atMs: number): AllergyIntolerance {
  const def = ALLERGIES[index % ALLERGIES.length]!;
  return {
    resourceType: 'AllergyIntolerance',
    id,
    meta: meta(atMs),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
    verificationStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }],
    },
    type: 'allergy',
    category: [def.category],
    criticality: 'low',
    code: { coding: [def.code], text: def.text },
    patient: patientRef,
    recordedDate: toCstDateTime(atMs),
    reaction: [{ manifestation: [{ text: def.reaction }] }],
  };
}

function labShifts(conditions: readonly ConditionDef[]): Record<string, number> {
  const shifts: Record<string, number> = {};
  for (const c of conditions) for (const [loinc, sd] of Object.entries(c.labShift ?? {})) shifts[loinc] = (shifts[loinc] ?? 0) + sd;
  return shifts;
}

export function buildClinicalHistory(prng: Prng, who: Demographics, options: HistoryOptions = {}): Resource[] {
  const nextId = idMaker(who.id);
  const patientRef: Reference<Patient> = { reference: `Patient/${who.id}`, display: who.displayName };
  const conditionKeys =
    options.conditions ??
    (() => {
      const keys = Object.keys(CONDITIONS);
      const picked = new Set<string>();
      const n = prng.int(1, 3);
      while (picked.size < n) picked.add(prng.pick(keys));
      return [...picked];
    })();
  const chronic = conditionKeys.map((k) => {
    const def = CONDITIONS[k];
    if (!def) throw new RangeError(`unknown condition ${k}`);
    return def;
  });
  const visits = planVisits(prng, nextId, options.encounterCount ?? prng.int(4, 7), options.inpatientStay ?? prng.chance(0.5));
  const first = visits[0];
  if (!first) return [];
  const shifts = labShifts(chronic);
  const resources: Resource[] = [];

  for (const visit of visits) {
    const reason = visit.inpatient ? PNEUMONIA : prng.pick(chronic);
    resources.push(encounterResource(visit, patientRef, reason, options.care));
    if (visit.inpatient) resources.push(conditionResource(nextId('cond'), PNEUMONIA, patientRef, visit, true));
    if (visit.inpatient && options.vitalSigns) {
      resources.push(
        ...buildStayVitals({ nextId: () => nextId('vs'), patientRef, encounterId: visit.id, startMs: visit.startMs, endMs: visit.endMs }),
      );
    }

    // A lab panel drawn the morning of each visit; HbA1c only where diabetes is being followed.
    const labAt = visit.startMs + 20 * 60_000;
    const visitShifts = visit.inpatient
      ? { ...shifts, ...{ '6690-2': (shifts['6690-2'] ?? 0) + (PNEUMONIA.labShift?.['6690-2'] ?? 0) } }
      : shifts;
    const panel = LABS.filter((lab) => lab.loinc !== '4548-4' || '4548-4' in shifts);
    const results = panel.map((lab) =>
      buildLabObservation(prng, {
        id: nextId('obs'),
        patientId: who.id,
        encounterId: visit.id,
        lab,
        sex: who.gender,
        shiftSd: visitShifts[lab.loinc] ?? 0,
        atMs: labAt,
      }),
    );
    resources.push(...results);
    const report: DiagnosticReport = {
      resourceType: 'DiagnosticReport',
      id: nextId('rpt'),
      meta: meta(labAt + 2 * 3_600_000),
      status: 'final',
      category: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB', display: 'Laboratory' }], text: '检验' },
      ],
      code: { coding: [{ system: LOINC_SYSTEM, code: '11502-2', display: 'Laboratory report' }], text: '检验报告' },
      subject: patientRef,
      encounter: { reference: `Encounter/${visit.id}` },
      effectiveDateTime: toCstDateTime(labAt),
      issued: toInstant(labAt + 2 * 3_600_000),
      result: results.map((o) => ({ reference: `Observation/${o.id}` })),
    };
    resources.push(report);
  }

  for (const def of chronic) {
    resources.push(conditionResource(nextId('cond'), def, patientRef, first, false));
    const rx = medicationRequest(nextId('rx'), def, patientRef, first);
    if (rx) resources.push(rx);
  }

  const allergy = options.allergy ?? (prng.chance(0.6) ? prng.int(0, ALLERGIES.length - 1) : undefined);
  if (allergy !== undefined) resources.push(allergyResource(nextId('alg'), allergy, patientRef, first.startMs));

  // Benchmarks: many more results spread daily backwards from the data's "as of" date.
  const extra = options.extraObservations ?? 0;
  const extraLabs = LABS.filter((lab) => lab.loinc === '2345-7' || lab.loinc === '2823-3');
  for (let i = 0; i < extra; i++) {
    const atMs = parseInstant(DATA_AS_OF) - (i + 1) * (DAY_MS / 4);
    const lab = extraLabs[i % extraLabs.length]!;
    resources.push(
      buildLabObservation(prng, { id: nextId('obs'), patientId: who.id, lab, sex: who.gender, shiftSd: shifts[lab.loinc] ?? 0, atMs }),
    );
  }
  return resources;
}
