/**
 * The demo hospital's bad-data mode (数据质量演示): a few extra patients in the CDR whose records
 * carry known defects, and the manifest of exactly which defect is where — what `huizhen quality`
 * must find, no more and no less. The patients are obviously synthetic (质控 "quality control"
 * names, MRNs DQ-…); the control patient's record is clean.
 */
import type { Encounter, Observation, Patient, Resource } from '@medplum/fhirtypes';
import type { QualityCode } from '../../shared/domain/quality.ts';
import { CDR_MRN_SYSTEM } from '../synthetic/demo-patient.ts';
import { createPrng, type Prng } from '../synthetic/prng.ts';
import { buildResidentId, RESIDENT_ID_SYSTEM } from '../synthetic/resident-id.ts';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
/** The CDR's own local lab codes: no LOINC, and not in any mapping table. */
export const CDR_LOCAL_LAB_SYSTEM = 'urn:huizhen:demo-hospital:cdr:lab-local';
/** Past, inside the demo's care window; the records are as of the demo's data. */
const WHEN = '2025-06-29T08:00:00+08:00';
/** Far enough ahead that no clock skew makes it the present. */
const FUTURE = '2099-03-01T08:00:00+08:00';

/** One injected defect: the finding `huizhen quality` must report for it. */
export interface InjectedDefect {
  /** The CDR MRN of the patient whose record carries it. */
  patientMrn: string;
  sourceId: string;
  code: QualityCode;
  resourceType: string;
  /** The record at fault, "Observation/dq-2-unit" (what the workstation's entry id ends in). */
  record: string;
  field: string;
  params?: Record<string, string>;
}

export interface BadDataSet {
  /** Stored in the CDR. */
  resources: Resource[];
  /** Sent in the patient's Patient/$everything besides the stored ones: a second, differing copy of a stored record. */
  everythingExtras: ReadonlyMap<string, readonly Resource[]>;
  /** Patients by MRN, the control (clean) one first. */
  patients: { mrn: string; fhirId: string; clean: boolean }[];
  manifest: InjectedDefect[];
}

interface PatientSpec {
  n: number;
  given: string;
  birthDate: string;
  gender: 'male' | 'female';
  /** The 身份证 as sent (undefined: the valid number of birthDate and gender). */
  residentId?: (valid: string) => string;
  /** Birth date and sex as the record states them, when they differ from the 身份证. */
  stated?: { birthDate: string; gender: 'male' | 'female' };
}

const mrnOf = (n: number) => `DQ-${String(n).padStart(6, '0')}`;
const idOf = (n: number) => `dq-pat-${n}`;

function patient(spec: PatientSpec): Patient {
  const valid = buildResidentId({ areaCode: '110101', birthDate: spec.birthDate, gender: spec.gender }, 11 + spec.n * 2);
  return {
    resourceType: 'Patient',
    id: idOf(spec.n),
    identifier: [
      { use: 'usual', type: { coding: [{ system: V2_0203, code: 'MR' }], text: '病案号' }, system: CDR_MRN_SYSTEM, value: mrnOf(spec.n) },
      {
        use: 'official',
        type: { coding: [{ system: V2_0203, code: 'NNCHN' }], text: '居民身份证' },
        system: RESIDENT_ID_SYSTEM,
        value: spec.residentId ? spec.residentId(valid) : valid,
      },
    ],
    name: [{ use: 'official', text: `质控${spec.given}`, family: '质控', given: [spec.given] }],
    gender: spec.stated?.gender ?? spec.gender,
    birthDate: spec.stated?.birthDate ?? spec.birthDate,
  };
}

/** On the demo doctor's ward and attended by them, so their access covers the record. */
function encounter(n: number): Encounter {
  return {
    resourceType: 'Encounter',
    id: `dq-enc-${n}`,
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' },
    subject: { reference: `Patient/${idOf(n)}` },
    period: { start: '2025-06-28T09:00:00+08:00' },
    location: [{ location: { identifier: { value: 'CARD-1' }, display: 'CARD-1' } }],
    participant: [{ individual: { identifier: { value: 'D1001' }, display: 'D1001' } }],
  };
}

type Result = Partial<Observation> & { id: string };

function result(n: number, over: Result, loinc?: string, display?: string): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    ...(loinc ? { code: { coding: [{ system: LOINC, code: loinc, display }], text: display } } : { code: { text: display } }),
    subject: { reference: `Patient/${idOf(n)}` },
    encounter: { reference: `Encounter/dq-enc-${n}` },
    effectiveDateTime: WHEN,
    ...over,
  };
}

const mmol = (value: number) => ({ value, unit: 'mmol/L', system: UCUM, code: 'mmol/L' });

/** A clean panel: coded, timed, UCUM, plausible. */
function cleanResults(n: number, prng: Prng): Observation[] {
  return [
    result(n, { id: `dq-${n}-k`, valueQuantity: mmol(prng.int(36, 50) / 10) }, '2823-3', 'Potassium'),
    result(n, { id: `dq-${n}-na`, valueQuantity: mmol(prng.int(136, 144)) }, '2951-2', 'Sodium'),
    result(
      n,
      { id: `dq-${n}-hb`, valueQuantity: { value: prng.int(120, 160), unit: 'g/L', system: UCUM, code: 'g/L' } },
      '718-7',
      'Hemoglobin',
    ),
  ];
}

interface LabDefect {
  observation: Observation;
  defect: Omit<InjectedDefect, 'patientMrn' | 'sourceId' | 'resourceType' | 'record'>;
}

/** One record per defect, each with exactly one finding. */
function labDefects(n: number, prng: Prng): LabDefect[] {
  const localCode = `DQ-LOCAL-${prng.int(100, 999)}`;
  const textValue = String(prng.int(135, 145));
  const potassium = prng.int(30, 90);
  return [
    {
      observation: result(n, {
        id: `dq-${n}-local`,
        code: { coding: [{ system: CDR_LOCAL_LAB_SYSTEM, code: localCode, display: '质控本地项目' }], text: '质控本地项目' },
        valueQuantity: mmol(3.2),
      }),
      defect: { code: 'unmapped-code', field: 'Observation.code.coding', params: { system: CDR_LOCAL_LAB_SYSTEM, code: localCode } },
    },
    {
      // Labelled UCUM, but "uIU/毫升" is no UCUM code (UCUM writes u[IU]/mL).
      observation: result(
        n,
        { id: `dq-${n}-unit`, valueQuantity: { value: 2.1, unit: 'uIU/毫升', system: UCUM, code: 'uIU/毫升' } },
        '3016-3',
        'TSH',
      ),
      defect: { code: 'unit-not-ucum', field: 'Observation.valueQuantity.unit', params: { unit: 'uIU/毫升' } },
    },
    {
      observation: result(n, { id: `dq-${n}-implausible`, valueQuantity: mmol(potassium) }, '2823-3', 'Potassium'),
      defect: {
        code: 'implausible-value',
        field: 'Observation.valueQuantity.value',
        params: { analyte: 'potassium', loinc: '2823-3', side: 'high', bound: '15', unit: 'mmol/L' },
      },
    },
    {
      observation: result(n, { id: `dq-${n}-text`, valueString: textValue }, '2951-2', 'Sodium'),
      defect: { code: 'numeric-as-text', field: 'Observation.valueString' },
    },
    {
      observation: result(n, { id: `dq-${n}-untimed`, effectiveDateTime: undefined, valueQuantity: mmol(5.4) }, '14749-6', 'Glucose'),
      defect: { code: 'missing-time', field: 'Observation.effective' },
    },
    {
      observation: result(n, { id: `dq-${n}-future`, effectiveDateTime: FUTURE, valueQuantity: mmol(101) }, '2075-0', 'Chloride'),
      defect: { code: 'future-date', field: 'Observation.effective' },
    },
    {
      observation: result(n, { id: `dq-${n}-dup`, valueQuantity: mmol(2.3) }, '2000-8', 'Calcium'),
      defect: { code: 'duplicate-id', field: 'Observation.id' },
    },
    {
      // g/L is UCUM, but potassium has no molecular weight in the analyte table: mmol/L cannot be reached.
      observation: result(
        n,
        { id: `dq-${n}-unconvertible`, valueQuantity: { value: 0.16, unit: 'g/L', system: UCUM, code: 'g/L' } },
        '2823-3',
        'Potassium',
      ),
      defect: {
        code: 'unit-not-convertible',
        field: 'Observation.valueQuantity.unit',
        params: { unit: 'g/L', analyte: 'potassium', expected: 'mmol/L' },
      },
    },
    {
      // A result whose code is blank: the LIS left both the coding and the text empty.
      observation: result(n, { id: `dq-${n}-uncoded`, code: { text: '' }, valueQuantity: mmol(4.4) }),
      defect: { code: 'missing-code', field: 'Observation.code' },
    },
  ];
}

/**
 * A record naming no patient cannot be stored in the patient's compartment: the CDR sends it in
 * `$everything` (as a platform that joins by encounter would), so the workstation still gets it.
 */
function unattributed(n: number): LabDefect {
  return {
    observation: { ...result(n, { id: `dq-${n}-unattributed`, valueQuantity: mmol(3.9) }, '2823-3', 'Potassium'), subject: undefined },
    defect: { code: 'missing-subject', field: 'Observation.subject' },
  };
}

/** The bad-data patients and their manifest; the same for the same seed. */
export function badDataSet(seed = 19): BadDataSet {
  const prng = createPrng(seed);
  const specs: PatientSpec[] = [
    { n: 1, given: '对照', birthDate: '1970-04-02', gender: 'female' },
    { n: 2, given: '检验', birthDate: '1965-09-21', gender: 'male' },
    // A wrong check character: the last one, replaced by the next in 0–9, X.
    { n: 3, given: '校验', birthDate: '1958-12-05', gender: 'male', residentId: (v) => v.slice(0, 17) + wrongCheck(v[17]!) },
    { n: 4, given: '矛盾', birthDate: '1980-05-17', gender: 'male', stated: { birthDate: '1980-07-15', gender: 'female' } },
  ];
  const resources: Resource[] = [];
  const manifest: InjectedDefect[] = [];
  const extras = new Map<string, Resource[]>();
  const defect = (n: number, resourceType: string, id: string, d: LabDefect['defect']): InjectedDefect => ({
    patientMrn: mrnOf(n),
    sourceId: 'cdr',
    resourceType,
    record: `${resourceType}/${id}`,
    ...d,
  });
  for (const spec of specs) {
    resources.push(patient(spec), encounter(spec.n), ...cleanResults(spec.n, prng));
  }
  for (const { observation, defect: d } of labDefects(2, prng)) {
    resources.push(observation);
    manifest.push(defect(2, 'Observation', observation.id!, d));
    if (d.code === 'duplicate-id') extras.set(idOf(2), [{ ...observation, valueQuantity: mmol(2.6) }]);
  }
  const orphan = unattributed(2);
  extras.set(idOf(2), [...(extras.get(idOf(2)) ?? []), orphan.observation]);
  manifest.push(defect(2, 'Observation', orphan.observation.id!, orphan.defect));
  manifest.push(
    defect(3, 'Patient', idOf(3), {
      code: 'invalid-identifier',
      field: 'Patient.identifier',
      params: { kind: 'resident-id', problem: 'check-digit' },
    }),
    defect(4, 'Patient', idOf(4), { code: 'identifier-mismatch', field: 'Patient.gender', params: { kind: 'resident-id', field: 'sex' } }),
    defect(4, 'Patient', idOf(4), {
      code: 'identifier-mismatch',
      field: 'Patient.birthDate',
      params: { kind: 'resident-id', field: 'birth-date' },
    }),
  );
  return {
    resources,
    everythingExtras: extras,
    patients: specs.map((s) => ({ mrn: mrnOf(s.n), fhirId: idOf(s.n), clean: !manifest.some((m) => m.patientMrn === mrnOf(s.n)) })),
    manifest,
  };
}

const CHECK_CHARS = '0123456789X';
function wrongCheck(right: string): string {
  return CHECK_CHARS[(CHECK_CHARS.indexOf(right) + 1) % CHECK_CHARS.length]!;
}
