import type { Encounter, ImagingStudy, Observation, Patient, Resource } from '@medplum/fhirtypes';
import type { SourceAdapter, SourcedResource } from '../../src/adapters/source-adapter.ts';
import { SourceError } from '../../src/adapters/source-error.ts';
import { residentIdCheckChar } from '../../src/main/services/identity/resident-id.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import type { HuizhenConfig, SourceConfig } from '../../src/shared/config/schema.ts';
import type { SourcePatientRef, SourceKind } from '../../src/shared/domain/source.ts';
import type { Role, User } from '../../src/shared/domain/user.ts';

/**
 * A small hospital in memory for property tests of the access layer: each person has a record in
 * a CDR (FHIR, with encounters: the care context), a LIS (no care-context query) and a PACS
 * (DICOMweb, with a study when the person has imaging). Every record carries a marker
 * (`SECRET:<source>/<id>`) so a leak of any record into any reply is found by a text search.
 */
export interface WorldPerson {
  index: number;
  ward?: string;
  attending?: string;
  imaging: boolean;
}

export const SOURCES = [
  { id: 'cdr', kind: 'fhir' },
  { id: 'lis', kind: 'hl7v2' },
  { id: 'pacs', kind: 'dicomweb' },
] as const satisfies readonly { id: string; kind: SourceKind }[];

const NAMES = ['张伟', '李娜', '王芳', '刘洋', '陈静'];
export const STAFF_WARD = 'CARD-1';
export const STAFF_PRACTITIONER = 'D1001';

export const secretOf = (ref: SourcePatientRef) => `SECRET:${ref.sourceId}/${ref.sourcePatientId}`;
export const studyUidOf = (world: string, person: number) => `1.2.826.0.1.${world}.${person}`;

export interface World {
  /** Unique per world, so worlds sharing nothing never meet in ids. */
  tag: string;
  people: WorldPerson[];
  refsOf(person: number): SourcePatientRef[];
  /** The person's 身份证: what a clinician searches by. */
  residentIdOf(person: number): string;
  personOf(ref: SourcePatientRef): number;
  /** Each record as its system returns it. */
  recordOf(ref: SourcePatientRef): SourcedResource[];
  /** fetchRecord calls so far, by "source/id". */
  fetched: Map<string, number>;
  /** Systems that are down: every call to them fails as unreachable. */
  down: Set<string>;
  config: HuizhenConfig;
  createAdapter(config: SourceConfig): SourceAdapter;
}

/** A valid 身份证 for person i (check digit, birth date and sex consistent). */
function residentId(i: number): { id: string; birthDate: string; gender: 'male' | 'female' } {
  const birth = `19${60 + i}0${1 + (i % 9)}1${i % 10}`;
  const seq = `00${2 * i + 1}`.slice(-3);
  const first17 = `110101${birth}${seq}`;
  return {
    id: first17 + residentIdCheckChar(first17)!,
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    gender: 'male',
  };
}

export function createWorld(tag: string, people: WorldPerson[]): World {
  const idIn = (sourceId: string, person: number) => (sourceId === 'pacs' ? `P${tag}x${person}` : `${sourceId}-${tag}-${person}`);
  const refsOf = (person: number) => SOURCES.map((s) => ({ sourceId: s.id, sourcePatientId: idIn(s.id, person) }));
  const personOf = (ref: SourcePatientRef) => people.findIndex((_, i) => idIn(ref.sourceId, i) === ref.sourcePatientId);
  const fetched = new Map<string, number>();
  const down = new Set<string>();

  const patientIn = (sourceId: string, person: number): Patient => {
    const rid = residentId(person);
    return {
      resourceType: 'Patient',
      id: idIn(sourceId, person),
      name: [{ text: NAMES[person % NAMES.length]! }],
      birthDate: rid.birthDate,
      gender: rid.gender,
      identifier: [{ system: 'urn:oid:2.16.156.10011.1.3', value: rid.id, type: { text: '身份证' } }],
    };
  };
  const sourced = (resource: Resource, sourceId: string, kind: SourceKind): SourcedResource => ({
    resource,
    provenance: {
      sourceId,
      sourceName: sourceId.toUpperCase(),
      sourceKind: kind,
      nativeId: `${resource.resourceType}/${resource.id ?? ''}`,
      messageType: 'test',
      fetchedAt: '2026-01-01T00:00:00Z',
    },
  });

  function careContextOf(ref: SourcePatientRef): SourcedResource[] {
    const person = people[personOf(ref)]!;
    const subject = { reference: `Patient/${ref.sourcePatientId}` };
    if (ref.sourceId === 'cdr') {
      const encounter: Encounter = {
        resourceType: 'Encounter',
        id: `enc-${ref.sourcePatientId}`,
        status: 'in-progress',
        class: { code: 'IMP' },
        subject,
        period: { start: '2026-01-01T00:00:00Z' },
        ...(person.ward ? { location: [{ location: { display: `${person.ward} 01 03`, identifier: { value: person.ward } } }] } : {}),
        ...(person.attending ? { participant: [{ individual: { reference: `Practitioner/${person.attending}` } }] } : {}),
      };
      return [sourced(encounter, 'cdr', 'fhir')];
    }
    if (ref.sourceId === 'pacs' && person.imaging) {
      const study: ImagingStudy = {
        resourceType: 'ImagingStudy',
        id: studyUidOf(tag, personOf(ref)),
        status: 'available',
        subject,
        identifier: [{ value: `urn:oid:${studyUidOf(tag, personOf(ref))}` }],
      };
      return [sourced(study, 'pacs', 'dicomweb')];
    }
    return [];
  }

  function recordOf(ref: SourcePatientRef): SourcedResource[] {
    const person = personOf(ref);
    const kind = SOURCES.find((s) => s.id === ref.sourceId)!.kind;
    const observation: Observation = {
      resourceType: 'Observation',
      id: `obs-${ref.sourcePatientId}`,
      status: 'final',
      code: { text: 'Marker' },
      subject: { reference: `Patient/${ref.sourcePatientId}` },
      effectiveDateTime: '2026-01-02T00:00:00Z',
      valueString: secretOf(ref),
    };
    return [sourced(patientIn(ref.sourceId, person), ref.sourceId, kind), sourced(observation, ref.sourceId, kind), ...careContextOf(ref)];
  }

  const config = parseConfig({
    sources: [
      { id: 'cdr', name: 'CDR', kind: 'fhir', baseUrl: 'http://127.0.0.1:9/fhir' },
      {
        id: 'lis',
        name: 'LIS',
        kind: 'hl7v2',
        host: '127.0.0.1',
        port: 9,
        services: ['results'],
        receivingApplication: 'LIS',
        receivingFacility: 'HOSP',
      },
      { id: 'pacs', name: 'PACS', kind: 'dicomweb', baseUrl: 'http://127.0.0.1:9/dicom-web' },
    ].map((s) => ({ ...s, resilience: { retries: 0, rateLimit: { ratePerSecond: 10_000, burst: 10_000 } } })),
  });

  function createAdapter(sourceConfig: SourceConfig): SourceAdapter {
    const kind = sourceConfig.kind;
    const sourceId = sourceConfig.id;
    const ref = (id: string) => ({ sourceId, sourcePatientId: id });
    const known = (id: string) => {
      if (down.has(sourceId)) throw new SourceError('unreachable', sourceId, `${sourceId} is down`);
      return personOf(ref(id)) >= 0;
    };
    const adapter: SourceAdapter = {
      source: { id: sourceId, name: sourceConfig.name, kind },
      async searchPatients({ text }) {
        known('');
        return people
          .map((_, i) => patientIn(sourceId, i))
          .filter((p) => p.identifier?.[0]?.value === text || p.name?.[0]?.text === text)
          .map((p) => sourced(p, sourceId, kind) as SourcedResource<Patient>);
      },
      async fetchRecord(id) {
        if (!down.has(sourceId)) fetched.set(`${sourceId}/${id}`, (fetched.get(`${sourceId}/${id}`) ?? 0) + 1);
        return known(id) ? recordOf(ref(id)) : [];
      },
      async probe() {
        return { reachable: true, latencyMs: 0 };
      },
    };
    // The LIS, like an HL7 v2 results service, has no narrow care-context query.
    if (sourceId !== 'lis') adapter.fetchCareContext = async (id) => (known(id) ? careContextOf(ref(id)) : []);
    return adapter;
  }

  return { tag, people, down, refsOf, residentIdOf: (person) => residentId(person).id, personOf, recordOf, fetched, config, createAdapter };
}

/** A member of staff as the sign-in would return them. */
export function staff(role: Role): User {
  return {
    id: `local:${role}`,
    displayName: role,
    roles: [role],
    wards: role === 'ward-doctor' || role === 'nurse' ? [STAFF_WARD] : [],
    ...(role === 'ward-doctor' ? { practitionerId: STAFF_PRACTITIONER } : {}),
    authMethod: 'local',
  };
}

/** Does the care rule let this role read this person (the model the access layer must match)? */
export function careAllows(role: Role, person: WorldPerson): boolean {
  if (role === 'ward-doctor') return person.ward === STAFF_WARD || person.attending === STAFF_PRACTITIONER;
  if (role === 'nurse') return person.ward === STAFF_WARD;
  if (role === 'radiologist') return person.imaging;
  return false;
}
