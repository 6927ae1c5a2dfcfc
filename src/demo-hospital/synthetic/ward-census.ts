/**
 * The demo hospital's current inpatients: a realistic ward census (beds, attending doctors,
 * admission days, diagnoses, a few results of this stay, some flagged high or critical) so the
 * ward worklist has something to show. Synthetic names only, drawn from the same pools. Stays
 * are placed relative to `asOf` (the day the demo starts), since "住院第 N 天" only means
 * something for patients who are in hospital now; the same seed and day give the same census.
 */
import type { AllergyIntolerance, Encounter, Group, Location, Observation, Patient, Practitioner, Resource } from '@medplum/fhirtypes';
import { ICD10_SYSTEM, LOINC_SYSTEM } from './clinical-catalog.ts';
import { DEMO_PRACTITIONER_SYSTEM, DEMO_WARD_SYSTEM } from './clinical-history.ts';
import { buildChinesePatient } from './patient-demographics.ts';
import { createPrng } from './prng.ts';
import { DAY_MS, toCstDateTime } from './time.ts';

export interface WardCensusOptions {
  seed: number;
  /** Epoch ms of "today" (the demo's start); stays end before it or are in progress. */
  asOf: number;
  /** Patient index to start from: above every other generated patient's. */
  firstIndex?: number;
  /** Names already used (so the demo patient's 张伟 stays unique). */
  usedNames?: Set<string>;
}

export const WARD_CENSUS_WARDS = [
  { code: 'CARD-1', display: '心内科一病区 Cardiology Ward 1', beds: 36, occupied: 32 },
  { code: 'RESP-2', display: '呼吸科二病区 Respiratory Ward 2', beds: 12, occupied: 8 },
] as const;

/** The attending doctors of the census; 李医生 (D1001, the demo ward doctor) has some on each ward. */
const ATTENDINGS = [
  { id: 'D1001', display: '李医生' },
  { id: 'D1002', display: '孙医生' },
  { id: 'D1003', display: '郑医生' },
] as const;

const DIAGNOSES = [
  { code: 'I21.9', display: '急性心肌梗死' },
  { code: 'I50.9', display: '心力衰竭' },
  { code: 'I48.9', display: '心房颤动' },
  { code: 'I20.0', display: '不稳定型心绞痛' },
  { code: 'I10', display: '原发性高血压' },
  { code: 'J18.9', display: '肺炎' },
  { code: 'J44.1', display: '慢性阻塞性肺疾病急性加重' },
] as const;

/** Results of the stay: [LOINC, display, unit, low, high, critical low, critical high]. */
const LABS = [
  ['2823-3', '钾 Potassium', 'mmol/L', 3.5, 5.3, 2.5, 6.5],
  ['2345-7', '葡萄糖 Glucose', 'mmol/L', 3.9, 6.1, 2.2, 25],
  ['2160-0', '肌酐 Creatinine', 'umol/L', 57, 111, 20, 800],
  ['718-7', '血红蛋白 Hemoglobin', 'g/L', 115, 150, 50, 200],
] as const;

const wardLocationId = (code: string) => `ward-${code}`;
const roomOf = (bed: number) => String(Math.ceil(bed / 3)).padStart(2, '0');
const bedLocationId = (code: string, bed: number) => `bed-${code}-${String(bed).padStart(2, '0')}`;
const physicalType = (code: 'wa' | 'ro' | 'bd', display: string): Location['physicalType'] => ({
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code, display }],
});

export function wardLocations(): Location[] {
  return WARD_CENSUS_WARDS.map((w) => ({
    resourceType: 'Location',
    id: wardLocationId(w.code),
    status: 'active',
    name: w.display,
    identifier: [{ system: DEMO_WARD_SYSTEM, value: w.code }],
    physicalType: physicalType('wa', 'Ward'),
  }));
}

/**
 * The wards' rooms and beds as FHIR models them: each room `partOf` its ward, each bed `partOf`
 * its room (three beds a room). A CDR configured for the "location" census form finds a stay that
 * names only the bed by walking this tree.
 */
export function roomAndBedLocations(): Location[] {
  return WARD_CENSUS_WARDS.flatMap((w) =>
    Array.from({ length: w.beds }, (_, i) => i + 1).flatMap((bed): Location[] => {
      const room = roomOf(bed);
      const bedText = String(bed).padStart(2, '0');
      return [
        ...(bed % 3 === 1
          ? [
              {
                resourceType: 'Location' as const,
                id: `room-${w.code}-${room}`,
                status: 'active' as const,
                name: `${w.display} ${room}室`,
                physicalType: physicalType('ro', 'Room'),
                partOf: { reference: `Location/${wardLocationId(w.code)}` },
              },
            ]
          : []),
        {
          resourceType: 'Location',
          id: bedLocationId(w.code, bed),
          status: 'active',
          name: `${w.display} ${room}室 ${bedText}床`,
          physicalType: physicalType('bd', 'Bed'),
          partOf: { reference: `Location/room-${w.code}-${room}` },
        },
      ];
    }),
  );
}

/** Each ward's current inpatients as a FHIR Group (identifier = the ward code), for CDRs that keep the census that way. */
function wardGroup(ward: (typeof WARD_CENSUS_WARDS)[number], members: readonly string[], asOf: number): Group {
  return {
    resourceType: 'Group',
    id: `census-${ward.code}`,
    identifier: [{ system: DEMO_WARD_SYSTEM, value: ward.code }],
    type: 'person',
    actual: true,
    name: `${ward.display} 在院患者 Current inpatients`,
    quantity: members.length,
    managingEntity: { reference: `Location/${wardLocationId(ward.code)}`, display: ward.display },
    member: members.map((reference) => ({ entity: { reference }, period: { start: toCstDateTime(asOf) } })),
  } as Group;
}

function interpretation(value: number, lab: (typeof LABS)[number]): Observation['interpretation'] {
  const [, , , low, high, critLow, critHigh] = lab;
  const code = value <= critLow ? 'LL' : value >= critHigh ? 'HH' : value < low ? 'L' : value > high ? 'H' : 'N';
  return [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code }] }];
}

export function generateWardCensus(options: WardCensusOptions): { resources: Resource[]; inpatients: number } {
  const prng = createPrng((options.seed ^ 0x5eed_ce25) >>> 0);
  // The pools hold ~112 names per sex: a census drawn into an almost full set would never find a new one.
  const used = options.usedNames && options.usedNames.size < 60 ? options.usedNames : new Set<string>(['张伟']);
  const today = Math.floor(options.asOf / DAY_MS) * DAY_MS;
  const resources: Resource[] = [
    ...wardLocations(),
    ...roomAndBedLocations(),
    ...ATTENDINGS.map((a): Practitioner => ({
      resourceType: 'Practitioner',
      id: a.id,
      identifier: [{ system: DEMO_PRACTITIONER_SYSTEM, value: a.id }],
      name: [{ text: a.display }],
    })),
  ];
  let index = options.firstIndex ?? 100;
  let inpatients = 0;
  const groups: Group[] = [];
  for (const ward of WARD_CENSUS_WARDS) {
    const members: string[] = [];
    const beds = Array.from({ length: ward.occupied }, (_, i) => i + 1);
    for (const bed of beds) {
      const { patient } = buildChinesePatient(prng, index++, used);
      const ref = `Patient/${patient.id!}`;
      const attending = bed % 4 === 1 ? ATTENDINGS[0] : prng.pick(ATTENDINGS.slice(1));
      const diagnosis = ward.code === 'RESP-2' ? prng.pick(DIAGNOSES.slice(5)) : prng.pick(DIAGNOSES.slice(0, 5));
      const admittedAt = today - prng.int(0, 12) * DAY_MS - prng.int(1, 10) * 3_600_000;
      const room = roomOf(bed);
      const bedText = String(bed).padStart(2, '0');
      members.push(ref);
      const encounter: Encounter = {
        resourceType: 'Encounter',
        id: `${patient.id!}-stay`,
        status: 'in-progress',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' },
        type: [{ text: '住院' }],
        subject: { reference: ref },
        period: { start: toCstDateTime(admittedAt) },
        reasonCode: [{ coding: [{ system: ICD10_SYSTEM, code: diagnosis.code, display: diagnosis.display }], text: diagnosis.display }],
        location: [
          {
            location: {
              reference: `Location/${wardLocationId(ward.code)}`,
              identifier: { system: DEMO_WARD_SYSTEM, value: ward.code },
              display: `${ward.display} ${room}室 ${bedText}床`,
            },
            status: 'active',
          },
        ],
        participant: [
          {
            type: [
              { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'ATND', display: 'attender' }] },
            ],
            individual: {
              reference: `Practitioner/${attending.id}`,
              identifier: { system: DEMO_PRACTITIONER_SYSTEM, value: attending.id },
              display: attending.display,
            },
          },
        ],
      };
      resources.push(patient as Patient, encounter);
      const results = prng.int(1, 4);
      for (let r = 0; r < results; r++) {
        const lab = LABS[prng.int(0, LABS.length - 1)]!;
        const [code, display, unit, low, high, critLow, critHigh] = lab;
        const roll = prng.next();
        const value =
          roll < 0.08 ? (prng.chance(0.5) ? critHigh * 1.05 : critLow * 0.9) : roll < 0.3 ? high * 1.15 : low + (high - low) * prng.next();
        const at = admittedAt + prng.int(2, 48) * 3_600_000;
        if (at >= options.asOf) continue;
        resources.push({
          resourceType: 'Observation',
          id: `${patient.id!}-stay-obs-${r + 1}`,
          status: 'final',
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
          code: { coding: [{ system: LOINC_SYSTEM, code, display }], text: display },
          subject: { reference: ref },
          encounter: { reference: `Encounter/${encounter.id!}` },
          effectiveDateTime: toCstDateTime(at),
          issued: new Date(at + 3_600_000).toISOString(),
          valueQuantity: { value: Math.round(value * 10) / 10, unit, system: 'http://unitsofmeasure.org', code: unit },
          interpretation: interpretation(value, lab),
          referenceRange: [{ low: { value: low, unit }, high: { value: high, unit } }],
        } satisfies Observation);
      }
      if (prng.chance(0.25)) {
        resources.push({
          resourceType: 'AllergyIntolerance',
          id: `${patient.id!}-allergy`,
          clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
          code: { text: prng.pick(['青霉素', '头孢类', '碘造影剂']) },
          patient: { reference: ref },
        } satisfies AllergyIntolerance);
      }
      inpatients += 1;
    }
    groups.push(wardGroup(ward, members, options.asOf));
  }
  return { resources: [...resources, ...groups], inpatients };
}
