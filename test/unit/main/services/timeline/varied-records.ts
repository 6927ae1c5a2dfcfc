// A deterministic, deliberately messy set of records from three systems, used to prove that
// buildTimeline's output does not change when its implementation does (see
// timeline-equivalence.test.ts). Every branch of normalisation, de-duplication and grouping is
// meant to be hit: LOINC and local codes, unit conversions (and failed ones), the same fact from
// two or three systems with seconds differing, conflicts, one system's look-alikes, retried
// deliveries, partial and invalid dates, panels referenced by logical and native ids.
import type { Resource } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import type { SourceKind } from '../../../../../src/shared/domain/source.ts';

/** mulberry32: small, seedable, identical on every platform. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface System {
  id: string;
  name: string;
  kind: SourceKind;
  /** HL7 v2 and CDA name segments or paths, not logical ids. */
  native: (resource: Resource, n: number) => string;
}

const SYSTEMS: readonly System[] = [
  { id: 'cdr', name: 'CDR', kind: 'fhir', native: (r) => `${r.resourceType}/${r.id}` },
  { id: 'lis', name: 'LIS', kind: 'hl7v2', native: (_r, n) => `MSG${Math.floor(n / 5)}/OBX/${n % 5}` },
  { id: 'emr', name: 'EMR', kind: 'cda', native: (r, n) => (n % 2 === 0 ? `${r.resourceType}/${r.id}` : `doc-${n}/entry/${n % 7}`) },
];

/** [LOINC or local code, code system, display, unit, typical value]. */
const LABS: ReadonlyArray<[string, string, string, string, number]> = [
  ['2345-7', 'http://loinc.org', 'Glucose', 'mg/dL', 110],
  ['14749-6', 'http://loinc.org', 'Glucose', 'mmol/L', 6.1],
  ['GLU', 'urn:lis:local', '葡萄糖', 'mmol/L', 5.9],
  ['X-UNKNOWN', 'urn:lis:local', '空腹血糖', 'mmol/L', 5.2],
  ['4548-4', 'http://loinc.org', 'HbA1c', '%', 6.8],
  ['59261-8', 'http://loinc.org', 'HbA1c IFCC', 'mmol/mol', 51],
  ['2160-0', 'http://loinc.org', 'Creatinine', 'mg/dL', 1.1],
  ['CREA', 'urn:lis:local', '肌酐', 'μmol/L', 90],
  ['2823-3', 'http://loinc.org', 'Potassium', 'mEq/L', 4.2],
  ['K', 'urn:lis:local', '钾', 'mmol/L', 4.0],
  ['718-7', 'http://loinc.org', 'Hemoglobin', 'g/dL', 13.5],
  ['HGB', 'urn:lis:local', '血红蛋白', 'g/L', 135],
  ['6690-2', 'http://loinc.org', 'WBC', '10^9/L', 6.5],
  ['PLT', 'urn:lis:local', '血小板', '×10^9/L', 220],
  ['1742-6', 'http://loinc.org', 'ALT', 'IU/L', 30],
  ['1975-2', 'http://loinc.org', 'Bilirubin', 'mg/dL', 0.9],
  ['2089-1', 'http://loinc.org', 'LDL', 'mg/dL', 120],
  ['10839-9', 'http://loinc.org', 'Troponin I', 'ng/mL', 0.02],
  ['718-7', 'http://loinc.org', 'Hemoglobin', 'furlongs', 13],
  ['8867-4', 'http://loinc.org', 'Heart rate', '/min', 72],
  ['LOCAL-9', 'urn:lis:local', '未知项目', 'U', 3],
];

const DATES = ['2021', '2021-03', '2022-07-15', 'garbage', '2023-02-30T10:00:00Z'];

function iso(ms: number, rnd: () => number): string {
  const d = new Date(ms).toISOString();
  // Systems print the same instant differently: UTC, +08:00, with and without seconds.
  const r = rnd();
  if (r < 0.3) return d;
  const local = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19);
  return r < 0.6 ? `${local}+08:00` : `${local.slice(0, 16)}:00+08:00`;
}

function observation(id: string, lab: (typeof LABS)[number], when: string | undefined, value: number, rnd: () => number): Resource {
  const [code, system, display, unit, typical] = lab;
  const variant = rnd();
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code:
      variant < 0.2
        ? { coding: [{ system, code }], text: display }
        : variant < 0.3
          ? { text: display }
          : { coding: [{ system, code, display }] },
    ...(when ? { effectiveDateTime: when } : {}),
    ...(variant > 0.95
      ? { valueString: '阴性' }
      : { valueQuantity: { value, unit, ...(variant > 0.7 ? { system: 'http://unitsofmeasure.org', code: unit } : {}) } }),
    ...(variant > 0.4
      ? { referenceRange: [{ low: { value: typical * 0.7 }, ...(variant > 0.5 ? { high: { value: typical * 1.3 } } : {}) }] }
      : {}),
    ...(value > typical * 1.1
      ? { interpretation: [{ coding: [{ code: variant > 0.8 ? 'HH' : 'H' }] }] }
      : variant < 0.05
        ? { interpretation: [{ coding: [{ code: 'N' }] }] }
        : {}),
  } as Resource;
}

function sourced(system: System, resource: Resource, n: number): SourcedResource {
  return {
    resource,
    provenance: {
      sourceId: system.id,
      sourceName: system.name,
      sourceKind: system.kind,
      nativeId: system.native(resource, n),
      messageType: 'test',
      fetchedAt: '2026-11-25T10:00:00Z',
    },
  };
}

/** About 400 records; the same seed always gives the same records in the same order. */
export function variedRecords(seed = 5): SourcedResource[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: SourcedResource[] = [];
  let n = 0;
  const add = (system: System, resource: Resource) => out.push(sourced(system, resource, n++));
  const base = Date.parse('2024-01-01T00:00:00Z');
  const encounters: string[] = [];

  for (let e = 0; e < 12; e++) {
    const start = base + e * 9 * 86_400_000 + Math.floor(rnd() * 86_400_000);
    const id = `enc${e}`;
    encounters.push(id);
    for (const system of SYSTEMS.slice(0, 1 + Math.floor(rnd() * 3))) {
      add(system, {
        resourceType: 'Encounter',
        id: `${system.id}-${id}`,
        status: 'finished',
        class: { code: pick(['AMB', 'IMP', 'EMER']), display: pick(['门诊', 'inpatient', undefined]) },
        ...(rnd() < 0.5 ? { type: [{ text: '复诊' }] } : {}),
        period: { start: iso(start + Math.floor(rnd() * 20_000), rnd) },
      } as Resource);
    }
    // A lab panel in this encounter: the LIS sends it, the CDR often again.
    const labs = Array.from({ length: 2 + Math.floor(rnd() * 4) }, () => pick(LABS));
    const when = start + 3_600_000;
    const resultIds: Record<string, string[]> = {};
    labs.forEach((lab, k) => {
      const value = Math.round(lab[4] * (0.6 + rnd() * 0.9) * 100) / 100;
      for (const system of SYSTEMS) {
        if (system.id !== 'lis' && rnd() < 0.45) continue;
        const id = `${system.id}-o${e}-${k}`;
        // Most systems agree on the value; some disagree or send it converted.
        const sent = rnd() < 0.15 ? value * 1.2 : value;
        add(system, {
          ...observation(id, lab, iso(when + Math.floor(rnd() * 50_000), rnd), sent, rnd),
          encounter: { reference: `Encounter/${system.id}-enc${e}` },
        } as Resource);
        (resultIds[system.id] ??= []).push(id);
      }
    });
    for (const [systemId, ids] of Object.entries(resultIds)) {
      const system = SYSTEMS.find((s) => s.id === systemId)!;
      add(system, {
        resourceType: 'DiagnosticReport',
        id: `${systemId}-rep${e}`,
        status: 'final',
        code: { text: pick(['生化', '血常规', 'Basic panel']) },
        ...(rnd() < 0.5 ? { effectiveDateTime: iso(when, rnd) } : { issued: iso(when + 7_200_000, rnd) }),
        result: ids.map((id) => ({ reference: `Observation/${id}` })),
        ...(rnd() < 0.6 ? { encounter: { reference: `Encounter/${systemId}-enc${e}` } } : {}),
        conclusion: rnd() < 0.3 ? '未见异常' : undefined,
      } as Resource);
    }
  }

  // Loose results: look-alikes within one system, odd dates, no dates, retried deliveries.
  for (let k = 0; k < 120; k++) {
    const system = pick(SYSTEMS);
    const lab = pick(LABS);
    const r = rnd();
    const when = r < 0.08 ? pick(DATES) : r < 0.12 ? undefined : iso(base + Math.floor(rnd() * 200) * 3_600_000, rnd);
    const resource = observation(`${system.id}-loose${k % 100}`, lab, when, Math.round(lab[4] * (0.5 + rnd()) * 10) / 10, rnd);
    add(system, resource);
    if (rnd() < 0.1) out.push({ ...out[out.length - 1]! });
  }

  const others: Array<(id: string, when: string) => Resource> = [
    (id, when) =>
      ({
        resourceType: 'Condition',
        id,
        code: {
          coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: pick(['E11.9', 'I10', 'J18.9']) }],
          text: pick(['2型糖尿病', '高血压', '肺炎']),
        },
        onsetDateTime: when,
        subject: { reference: 'Patient/p' },
      }) as Resource,
    (id, when) =>
      ({
        resourceType: 'AllergyIntolerance',
        id,
        code: { text: pick(['青霉素', '头孢']) },
        criticality: pick(['high', 'low']),
        reaction: [{ manifestation: [{ text: '皮疹' }] }],
        recordedDate: when,
        patient: { reference: 'Patient/p' },
      }) as Resource,
    (id, when) =>
      ({
        resourceType: 'MedicationRequest',
        id,
        status: 'active',
        intent: 'order',
        medicationCodeableConcept: { text: pick(['二甲双胍', '阿司匹林']) },
        dosageInstruction: [{ text: 'bid' }],
        authoredOn: when,
        subject: { reference: 'Patient/p' },
      }) as Resource,
    (id, when) =>
      ({
        resourceType: 'MedicationStatement',
        id,
        status: 'active',
        medicationCodeableConcept: { coding: [{ code: 'A10BA02' }] },
        effectiveDateTime: when,
        subject: { reference: 'Patient/p' },
      }) as Resource,
    (id, when) =>
      ({
        resourceType: 'Procedure',
        id,
        status: 'completed',
        code: { text: '胃镜' },
        performedDateTime: when,
        subject: { reference: 'Patient/p' },
      }) as Resource,
    (id, when) =>
      ({
        resourceType: 'Immunization',
        id,
        status: 'completed',
        vaccineCode: { text: '流感疫苗' },
        occurrenceDateTime: when,
        patient: { reference: 'Patient/p' },
      }) as Resource,
    (id, when) =>
      ({
        resourceType: 'ImagingStudy',
        id,
        status: 'available',
        identifier: pick([[{ system: 'urn:dicom:uid', value: `urn:oid:1.2.3.${Math.floor(rnd() * 4)}` }], []]),
        description: pick(['胸部CT', undefined]),
        modality: [{ code: 'CT' }],
        numberOfInstances: 200,
        started: when,
        subject: { reference: 'Patient/p' },
      }) as Resource,
    (id, when) =>
      ({
        resourceType: 'DocumentReference',
        id,
        status: 'current',
        identifier: [{ system: 'urn:emr:doc', value: `D${Math.floor(rnd() * 5)}` }],
        type: { text: '出院小结' },
        date: when,
        content: [],
      }) as Resource,
    (id, when) =>
      ({
        resourceType: 'Composition',
        id,
        status: 'final',
        identifier: [{ system: 'urn:emr:doc', value: `C${Math.floor(rnd() * 3)}` }],
        type: { text: '入院记录' },
        date: when,
        title: '入院记录',
        author: [],
      }) as unknown as Resource,
    (id, when) =>
      ({
        resourceType: 'CarePlan',
        id,
        status: 'active',
        intent: 'plan',
        period: { start: when },
        subject: { reference: 'Patient/p' },
      }) as Resource,
    (id) => ({ resourceType: 'Patient', id }) as Resource,
    (id) => ({ resourceType: 'Practitioner', id }) as Resource,
  ];
  for (let k = 0; k < 90; k++) {
    const make = pick(others);
    const when =
      rnd() < 0.1
        ? pick(DATES)
        : iso(base + Math.floor(rnd() * 40) * 86_400_000 + Math.floor(rnd() * 3) * 1000, rnd).slice(0, rnd() < 0.3 ? 10 : 40);
    const group = Math.floor(rnd() * 3);
    // The same fact from several systems: identical kind, code and day, different ids.
    for (const system of SYSTEMS.slice(group, group + 1 + Math.floor(rnd() * 2))) {
      const resource = make(`${system.id}-x${k}`, when);
      add(system, {
        ...resource,
        ...(encounters.length && rnd() < 0.3 ? { encounter: { reference: `Encounter/${system.id}-${pick(encounters)}` } } : {}),
      } as Resource);
    }
  }
  return out;
}
