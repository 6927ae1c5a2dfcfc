import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Encounter, Group } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { WARD_CENSUS_WARDS } from '../../src/demo-hospital/synthetic/ward-census.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';

/**
 * The census from the demo CDR over real HTTP on 127.0.0.1 in each configured form: Encounters
 * by the ward Location, by the ward's Location tree (rooms and beds `partOf` the ward), and by
 * the ward's Group; read through the secured API as the demo ward doctor (CARD-1, D1001).
 */
type Form = 'encounter' | 'location' | 'group' | 'below';
let hospital: DemoHospital;
const workstations = new Map<Form, ComposedWorkstation>();
const cardiology = WARD_CENSUS_WARDS.find((w) => w.code === 'CARD-1')!.occupied;

async function put(resource: Encounter | Group): Promise<void> {
  const answer = await fetch(`${hospital.fhirBaseUrl}/${resource.resourceType}/${resource.id!}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify(resource),
  });
  expect(answer.ok).toBe(true);
}

async function read<T>(path: string): Promise<T> {
  return (await (await fetch(`${hospital.fhirBaseUrl}/${path}`)).json()) as T;
}

async function listLive(form: Form) {
  const api = workstations.get(form)!.api;
  await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
  try {
    return await api.handlers.listWorklist({ from: 'systems' });
  } finally {
    await api.handlers.signOut({});
  }
}

beforeAll(async () => {
  hospital = await startDemoHospital({ wardCensus: true });
  for (const form of ['encounter', 'location', 'group', 'below'] as const) {
    // "below": the location form asked with `location:below` (the demo CDR implements the modifier).
    const census = form === 'below' ? { form: 'location' as const, locationBelow: true } : { form };
    const sources = (hospital.config.sources ?? []).flatMap((s) => (s.kind === 'fhir' ? [{ ...s, census }] : []));
    const config = parseConfig({
      ...hospital.config,
      sources,
      cache: { directory: mkdtempSync(join(tmpdir(), `huizhen-census-${form}-`)) },
    });
    workstations.set(
      form,
      await composeWorkstation(config, { protector: () => createPassphraseKeyProtector(`census ${form} passphrase`, { log2Cost: 12 }) }),
    );
  }
}, 120_000);
afterAll(async () => {
  for (const composed of workstations.values()) await composed.workstation.close();
  await hospital?.stop();
});

describe('the ward census from a FHIR CDR, in the form its config names', () => {
  it('the three forms list the same ward from the demo CDR: its Locations, its rooms and beds, its Group', async () => {
    const keys = async (form: Form) => (await listLive(form)).rows.map((r) => `${r.ward}/${r.bed ?? ''}/${r.key}`);
    const byEncounter = await keys('encounter');
    expect(byEncounter.filter((k) => k.startsWith('CARD-1/'))).toHaveLength(cardiology);
    expect(await keys('location')).toEqual(byEncounter);
    expect(await keys('group')).toEqual(byEncounter);
    expect(await keys('below')).toEqual(byEncounter);
  });

  it('"location" finds a stay that names only a bed (bed → room → ward by partOf, or location:below); "encounter" cannot', async () => {
    const bed = await read<{ id: string; name: string; partOf: { reference: string } }>('Location/bed-CARD-1-35');
    expect(bed.partOf.reference).toBe('Location/room-CARD-1-12');
    await put({
      resourceType: 'Encounter',
      id: 'bed-only-stay',
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
      subject: { reference: 'Patient/pat-0002' },
      period: { start: new Date(Date.now() - 86_400_000).toISOString() },
      location: [{ location: { reference: 'Location/bed-CARD-1-35', display: '12室 35床' } }],
    });
    for (const form of ['location', 'below'] as const) {
      const byTree = await listLive(form);
      expect(byTree.rows.find((r) => r.refs[0]!.sourcePatientId === 'pat-0002')).toMatchObject({
        ward: 'CARD-1',
        room: '12',
        bed: '35',
        basis: 'ward',
        status: 'admitted',
      });
    }
    const byWardOnly = await listLive('encounter');
    expect(byWardOnly.rows.some((r) => r.refs[0]!.sourcePatientId === 'pat-0002')).toBe(false);
  });

  it('"group" follows the Group: a member taken off the ward Group leaves the ward, though its Encounter is still open', async () => {
    const group = await read<Group>('Group/census-CARD-1');
    const leaving = group.member![2]!.entity.reference!.replace('Patient/', '');
    expect((await listLive('group')).rows.find((r) => r.refs[0]!.sourcePatientId === leaving)).toMatchObject({ status: 'admitted' });
    await put({ ...group, member: group.member!.map((m, i) => (i === 2 ? { ...m, inactive: true } : m)) });
    try {
      const after = await listLive('group');
      expect(after.rows.find((r) => r.refs[0]!.sourcePatientId === leaving)).toMatchObject({ status: 'discharged' });
      expect(after.rows.filter((r) => r.ward === 'CARD-1' && r.status === 'admitted')).toHaveLength(cardiology - 1);
    } finally {
      await put(group);
    }
  });

  it('a CDR that fails (HTTP 500, a broken body) gives a typed failure and leaves the ward as it was', async () => {
    for (const form of ['location', 'group'] as const) {
      const before = await listLive(form);
      const admitted = before.rows.filter((r) => r.status === 'admitted').map((r) => r.key);
      expect(admitted.length).toBeGreaterThan(0);
      for (const [faults, code] of [
        [{ errorRate: 1, errorStatus: 500 }, 'server-error'],
        [{ corruptBody: 'malformed-json' as const }, 'protocol'],
      ] as const) {
        hospital.fhir.faults.set(faults);
        try {
          const live = await listLive(form);
          // The CDR answered the listing before: the kept census says since when.
          expect(live.censusFailures).toEqual([{ sourceId: 'cdr', code, lastAnsweredAt: expect.any(String) }]);
          expect(live.rows.filter((r) => r.status === 'admitted').map((r) => r.key)).toEqual(admitted);
        } finally {
          hospital.fhir.faults.reset();
        }
      }
    }
  }, 60_000);
});
