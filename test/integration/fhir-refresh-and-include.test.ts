import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, DiagnosticReport, MedicationRequest, Observation, Resource } from '@medplum/fhirtypes';
import { createFhirAdapter } from '../../src/adapters/fhir/fhir-adapter.ts';
import { SourceError } from '../../src/adapters/source-error.ts';
import type { SourcedResource } from '../../src/adapters/source-adapter.ts';
import { startFhirServer, type DemoFhirServer } from '../../src/demo-hospital/fhir-server/fhir-server.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { fhirSourceConfig } from '../support/fhir-source-config.ts';

const signal = (): AbortSignal => new AbortController().signal;
const pid = DEMO_PATIENT.fhirId;
const keys = (items: SourcedResource[]): string[] => items.map((i) => `${i.resource.resourceType}/${i.resource.id}`).sort();

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError;
  }
  throw new Error('expected a SourceError');
}

/** Small extra data referencing resources outside the patient compartment, last changed long ago. */
const meta = { versionId: '1', lastUpdated: '2020-01-01T00:00:00.000Z' };
const referenced: Resource[] = (
  [
    { resourceType: 'Medication', id: 'med-metformin', code: { text: '二甲双胍片 Metformin 0.5 g' } },
    { resourceType: 'Organization', id: 'org-lab', name: '检验科' },
    {
      resourceType: 'MedicationRequest',
      id: 'mr-ref-1',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${pid}` },
      medicationReference: { reference: 'Medication/med-metformin' },
    } as MedicationRequest,
    {
      resourceType: 'MedicationRequest',
      id: 'mr-ref-2',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${pid}` },
      medicationReference: { reference: 'Medication/med-metformin' },
    } as MedicationRequest,
    {
      resourceType: 'DiagnosticReport',
      id: 'dr-ref-1',
      status: 'final',
      code: { text: 'CBC' },
      subject: { reference: `Patient/${pid}` },
      performer: [{ reference: 'Organization/org-lab' }],
    } as DiagnosticReport,
  ] as Resource[]
).map((r) => ({ ...r, meta }));

let server: DemoFhirServer;
let plain: DemoFhirServer;
const data = generateSyntheticHospital({ seed: 11 });

beforeAll(async () => {
  [server, plain] = await Promise.all([
    startFhirServer({ resources: [...data.resources, ...referenced] }),
    startFhirServer({ resources: [...data.resources, ...referenced], offerEverything: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([server.stop(), plain.stop()]);
});

describe('conditional reads (ETag / If-None-Match) and deleted resources', () => {
  it('answers not-modified for a current ETag and the new version after an update', async () => {
    const adapter = createFhirAdapter(fhirSourceConfig(server.baseUrl));
    const first = await adapter.readResource(`Patient/${pid}`, { signal: signal() });
    expect(first.status).toBe('ok');
    if (first.status !== 'ok') return;
    expect(first.etag).toBe('W/"1"');
    expect(first.resource.provenance).toMatchObject({ nativeId: `Patient/${pid}`, messageType: 'FHIR read' });
    expect(await adapter.readResource(`Patient/${pid}`, { signal: signal(), etag: first.etag ?? '' })).toMatchObject({
      status: 'not-modified',
      etag: 'W/"1"',
    });

    const obs = data.resources.find((r): r is Observation => r.resourceType === 'Observation') as Observation;
    const before = await adapter.readResource(`Observation/${obs.id}`, { signal: signal() });
    const updated = await fetch(`${server.baseUrl}/Observation/${obs.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ ...obs, status: 'amended' }),
    });
    expect(updated.status).toBe(200);
    const after = await adapter.readResource(`Observation/${obs.id}`, { signal: signal(), etag: before.etag ?? '' });
    expect(after.status).toBe('ok');
    expect(after.status === 'ok' && (after.resource.resource as Observation).status).toBe('amended');
    expect(after.etag).not.toBe(before.etag);
  });

  it('maps a deleted resource to gone (HTTP 410), an unknown one to not-found, a bad reference to bad-request', async () => {
    const adapter = createFhirAdapter(fhirSourceConfig(server.baseUrl));
    const victim = data.resources.filter((r) => r.resourceType === 'Condition')[0] as Resource;
    expect((await fetch(`${server.baseUrl}/Condition/${victim.id}`, { method: 'DELETE' })).status).toBe(200);
    const gone = await failure(adapter.readResource(`Condition/${victim.id}`, { signal: signal() }));
    expect(gone).toMatchObject({ code: 'gone', status: 410, request: `GET Condition/${victim.id}` });
    expect(gone.message).toMatch(/HTTP 410.*: Gone/);
    expect((await failure(adapter.readResource('Condition/never-was', { signal: signal() }))).code).toBe('not-found');
    expect((await failure(adapter.readResource('../metadata', { signal: signal() }))).code).toBe('bad-request');
  });
});

describe('incremental refresh', () => {
  it('after an update, since=<last sync> returns exactly the changed resources, via $everything and via per-type searches', async () => {
    const lastSync = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const target = data.resources.filter(
      (r): r is Observation => r.resourceType === 'Observation' && r.subject?.reference === `Patient/${pid}`,
    )[3] as Observation;
    for (const s of [server, plain]) {
      const res = await fetch(`${s.baseUrl}/Observation/${target.id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify({ ...target, note: [{ text: '复核' }] }),
      });
      expect(res.status).toBe(200);
    }
    const viaEverything = await createFhirAdapter(fhirSourceConfig(server.baseUrl)).fetchRecord(pid, { signal: signal(), since: lastSync });
    const before = plain.requests.length;
    const viaSearch = await createFhirAdapter(fhirSourceConfig(plain.baseUrl)).fetchRecord(pid, { signal: signal(), since: lastSync });
    expect(keys(viaEverything)).toEqual([`Observation/${target.id}`]);
    // Included Medications/Organizations come with their referencing resources only, so none here.
    expect(keys(viaSearch)).toEqual([`Observation/${target.id}`]);
    const searches = plain.requests.slice(before).filter((r) => r.url.includes('patient='));
    expect(searches.every((r) => new URL(r.url, plain.baseUrl).searchParams.get('_lastUpdated') === `gt${lastSync}`)).toBe(true);
    expect(server.requests.at(-1)?.url).toContain(`_since=${encodeURIComponent(lastSync)}`);
  });
});

describe('_include for referenced resources outside the compartment', () => {
  it('brings Medication and Organization with the per-type searches, in no extra round trip', async () => {
    const before = plain.requests.length;
    const record = await createFhirAdapter(fhirSourceConfig(plain.baseUrl)).fetchRecord(pid, { signal: signal() });
    const got = keys(record);
    expect(got).toContain('Medication/med-metformin');
    expect(got).toContain('Organization/org-lab');
    expect(got.filter((k) => k === 'Medication/med-metformin')).toHaveLength(1);
    const sent = plain.requests.slice(before);
    expect(sent.some((r) => decodeURIComponent(r.url).includes('_include=MedicationRequest:medication'))).toBe(true);
    // metadata + Patient read + one page per type: nothing read one by one afterwards.
    expect(sent.filter((r) => /\/(Medication|Organization)\//.test(r.url))).toHaveLength(0);

    const without = createFhirAdapter(fhirSourceConfig(plain.baseUrl), { includes: false });
    expect(keys(await without.fetchRecord(pid, { signal: signal() }))).not.toContain('Medication/med-metformin');
  });

  it('asks only for includes the CapabilityStatement lists (a server may drop unknown parameters)', async () => {
    const adapter = createFhirAdapter(fhirSourceConfig(plain.baseUrl), { extraIncludes: { Observation: ['Observation:not-a-param'] } });
    const before = plain.requests.length;
    await adapter.fetchRecord(pid, { signal: signal() });
    expect(plain.requests.slice(before).some((r) => r.url.includes('not-a-param'))).toBe(false);
  });

  it('demo server: _include entries carry search.mode include; $everything adds referenced resources', async () => {
    const res = await fetch(`${server.baseUrl}/DiagnosticReport?patient=${pid}&_include=DiagnosticReport:result&_count=3`);
    const bundle = (await res.json()) as Bundle;
    const matches = bundle.entry?.filter((e) => e.search?.mode === 'match') ?? [];
    const included = bundle.entry?.filter((e) => e.search?.mode === 'include') ?? [];
    expect(matches).toHaveLength(3);
    const resultRefs = new Set(matches.flatMap((e) => (e.resource as DiagnosticReport).result?.map((r) => r.reference) ?? []));
    expect(included.length).toBe(resultRefs.size);
    expect(included.every((e) => e.resource?.resourceType === 'Observation' && resultRefs.has(`Observation/${e.resource.id}`))).toBe(true);

    const everything = (await (await fetch(`${server.baseUrl}/Patient/${pid}/$everything`)).json()) as Bundle;
    const types = everything.entry?.map((e) => `${e.resource?.resourceType}/${e.resource?.id}`) ?? [];
    expect(types).toContain('Medication/med-metformin');
    expect(types).toContain('Organization/org-lab');
  });
});

describe('paging links on $everything', () => {
  it('self, next and previous walk the record forwards and backwards', async () => {
    const first = (await (await fetch(`${server.baseUrl}/Patient/${pid}/$everything?_count=40`)).json()) as Bundle;
    const link = (b: Bundle, rel: string): string | undefined => b.link?.find((l) => l.relation === rel)?.url;
    expect(link(first, 'self')).toBe(`${server.baseUrl}/Patient/${pid}/$everything?_count=40&_offset=0`);
    expect(link(first, 'previous')).toBeUndefined();
    const second = (await (await fetch(link(first, 'next') as string)).json()) as Bundle;
    expect(link(second, 'self')).toContain('_offset=40');
    const back = (await (await fetch(link(second, 'previous') as string)).json()) as Bundle;
    expect(back.entry?.map((e) => e.resource?.id)).toEqual(first.entry?.map((e) => e.resource?.id));
    const last = (await (await fetch(link(first, 'last') as string)).json()) as Bundle;
    expect(link(last, 'next')).toBeUndefined();
  });
});

describe('Retry-After', () => {
  it.each([
    ['seconds', 'seconds' as const],
    ['an HTTP-date', 'http-date' as const],
  ])('reads Retry-After given as %s on 429 and 503', async (_name, format) => {
    for (const status of [429, 503]) {
      server.faults.set({ errorRate: 1, errorStatus: status, retryAfterSeconds: 120, retryAfterFormat: format });
      try {
        const error = await failure(
          createFhirAdapter(fhirSourceConfig(server.baseUrl)).searchPatients({ text: '张伟' }, { signal: signal() }),
        );
        expect(error.code).toBe(status === 429 ? 'rate-limited' : 'server-error');
        // HTTP-dates have whole-second precision: allow for it and for the request's own time.
        expect(error.retryAfterMs).toBeGreaterThan(115_000);
        expect(error.retryAfterMs).toBeLessThanOrEqual(120_000);
      } finally {
        server.faults.reset();
      }
    }
  });
});
