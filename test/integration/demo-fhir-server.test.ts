import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, CapabilityStatement, Observation, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { startFhirServer } from '../../src/demo-hospital/fhir-server/fhir-server.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { HuizhenConfigSchema } from '../../src/shared/config/schema.ts';

let hospital: DemoHospital;
const get = async <T>(path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: T }> => {
  const res = await fetch(path.startsWith('http') ? path : `${hospital.fhirBaseUrl}/${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
};

beforeAll(async () => {
  hospital = await startDemoHospital();
});
afterAll(async () => {
  await hospital.stop();
});
afterEach(() => hospital.fhir.faults.reset());

describe('demo hospital', () => {
  it('listens on loopback and yields a valid workstation config', () => {
    expect(hospital.fhirBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir$/);
    const config = HuizhenConfigSchema.parse(hospital.config);
    expect(config.hospital).toBe('汇诊示范医院 Demo Hospital');
    // Other simulated systems (MLLP, SOAP, PACS) join the list; the CDR is always there.
    expect(config.sources).toContainEqual(expect.objectContaining({ id: 'cdr', kind: 'fhir', baseUrl: hospital.fhirBaseUrl }));
    expect(hospital.systems.map((s) => s.id)).toContain('cdr');
  });
});

describe('demo FHIR server', () => {
  it('serves a CapabilityStatement with types, search params and $everything', async () => {
    const { status, headers, body } = await get<CapabilityStatement>('metadata');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    expect(body.fhirVersion).toBe('4.0.1');
    const resources = body.rest?.[0]?.resource ?? [];
    expect(resources.map((r) => r.type)).toEqual(
      expect.arrayContaining(['Patient', 'Observation', 'Encounter', 'Condition', 'MedicationRequest', 'AllergyIntolerance']),
    );
    const patient = resources.find((r) => r.type === 'Patient');
    expect(patient?.searchParam?.map((p) => p.name)).toEqual(expect.arrayContaining(['identifier', 'name', 'birthdate', 'gender']));
    expect(patient?.operation?.map((o) => o.name)).toContain('everything');
  });

  it.each([
    ['identifier=CDR-000001', 'MRN'],
    [`identifier=${DEMO_PATIENT.mrnSystem}|${DEMO_PATIENT.mrn}`, 'system|MRN'],
    [`identifier=${DEMO_PATIENT.residentId}`, '身份证'],
    [`name=${encodeURIComponent('张伟')}`, 'Chinese full name'],
    [`name=${encodeURIComponent('张')}`, 'Chinese surname'],
    ['name=zhang', 'pinyin surname'],
    ['name=Zhang%20Wei', 'pinyin full name'],
    ['birthdate=1968-03-12&gender=male', 'birth date and gender'],
  ])('finds the demo patient by %s (%s)', async (query) => {
    const { status, body } = await get<Bundle<Patient>>(`Patient?${query}`);
    expect(status).toBe(200);
    expect(body.type).toBe('searchset');
    expect(body.entry?.map((e) => e.resource?.id)).toContain(DEMO_PATIENT.fhirId);
    expect(body.entry?.[0]?.fullUrl).toMatch(new RegExp(`^${hospital.fhirBaseUrl}/Patient/`));
  });

  it('pages with absolute next/previous links derived from _count and _offset', async () => {
    const first = await get<Bundle<Observation>>(`Observation?patient=${DEMO_PATIENT.fhirId}&_count=10`);
    const total = first.body.total ?? 0;
    expect(total).toBeGreaterThan(20);
    expect(first.body.entry).toHaveLength(10);
    expect(first.body.link?.find((l) => l.relation === 'previous')).toBeUndefined();
    const ids = new Set<string>();
    let url: string | undefined = first.body.link?.find((l) => l.relation === 'self')?.url;
    let pages = 0;
    while (url) {
      expect(url.startsWith(hospital.fhirBaseUrl)).toBe(true);
      const page: { body: Bundle<Observation> } = await get<Bundle<Observation>>(url);
      for (const e of page.body.entry ?? []) ids.add(e.resource?.id ?? '');
      if (pages > 0) expect(page.body.link?.find((l) => l.relation === 'previous')?.url).toContain(`_offset=${(pages - 1) * 10}`);
      url = page.body.link?.find((l) => l.relation === 'next')?.url;
      pages++;
    }
    expect(ids.size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 10));
  });

  it('accepts patient= as a bare id or a reference', async () => {
    const bare = await get<Bundle>(`Condition?patient=${DEMO_PATIENT.fhirId}`);
    const ref = await get<Bundle>(`Condition?patient=Patient/${DEMO_PATIENT.fhirId}`);
    expect(bare.body.total).toBeGreaterThan(0);
    expect(bare.body.total).toBe(ref.body.total);
  });

  it('returns the whole record with Patient/$everything, and only changes with _since', async () => {
    const { body } = await get<Bundle>(`Patient/${DEMO_PATIENT.fhirId}/$everything`);
    const types = new Set(body.entry?.map((e) => e.resource?.resourceType));
    for (const t of ['Patient', 'Encounter', 'Condition', 'Observation', 'DiagnosticReport', 'MedicationRequest', 'AllergyIntolerance'])
      expect(types).toContain(t);
    expect(body.entry?.length).toBe(body.total);
    const expected = hospital.data.patients.find((p) => p.id === DEMO_PATIENT.fhirId)?.resourceCount;
    expect(body.total).toBe(expected);

    const recent = await get<Bundle>(`Patient/${DEMO_PATIENT.fhirId}/$everything?_since=2024-01-01T00:00:00Z`);
    expect(recent.body.total).toBeGreaterThan(0);
    expect(recent.body.total).toBeLessThan(body.total ?? 0);
    for (const e of recent.body.entry ?? []) expect(e.resource?.meta?.lastUpdated && e.resource.meta.lastUpdated > '2024-01-01').toBe(true);

    const paged = await get<Bundle>(`Patient/${DEMO_PATIENT.fhirId}/$everything?_count=25`);
    expect(paged.body.entry).toHaveLength(25);
    expect(paged.body.link?.find((l) => l.relation === 'next')?.url).toContain('_offset=25');
  });

  it('sends an ETag on reads and honours If-None-Match', async () => {
    const first = await get<Patient>(`Patient/${DEMO_PATIENT.fhirId}`);
    const etag = first.headers.get('etag');
    expect(etag).toBe('W/"1"');
    const again = await fetch(`${hospital.fhirBaseUrl}/Patient/${DEMO_PATIENT.fhirId}`, { headers: { 'if-none-match': etag as string } });
    expect(again.status).toBe(304);
  });

  it('answers errors with OperationOutcome bodies', async () => {
    const missing = await get<OperationOutcome>('Patient/does-not-exist');
    expect(missing.status).toBe(404);
    expect(missing.body.resourceType).toBe('OperationOutcome');
    const everything = await get<OperationOutcome>('Patient/does-not-exist/$everything');
    expect(everything.status).toBe(404);
    const unknown = await get<OperationOutcome>('Foo?x=1');
    expect(unknown.status).toBe(404);
    expect(unknown.body.resourceType).toBe('OperationOutcome');
  });

  describe('fault knobs', () => {
    it('delays answers by delayMs, set at runtime', async () => {
      hospital.fhir.faults.set({ delayMs: 150 });
      const started = performance.now();
      await get('metadata');
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('injects errors at the configured rate with Retry-After', async () => {
      hospital.fhir.faults.set({ errorRate: 1, errorStatus: 429, retryAfterSeconds: 7 });
      const res = await get<OperationOutcome>('metadata');
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(res.body.resourceType).toBe('OperationOutcome');

      hospital.fhir.faults.set({ errorRate: 0.5, errorStatus: 503 });
      const statuses = await Promise.all(Array.from({ length: 40 }, () => get('metadata').then((r) => r.status)));
      const failed = statuses.filter((s) => s === 503).length;
      expect(failed).toBeGreaterThan(5);
      expect(failed).toBeLessThan(35);
    });

    it('hangs until the client gives up', async () => {
      hospital.fhir.faults.set({ hang: true });
      await expect(fetch(`${hospital.fhirBaseUrl}/metadata`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    });

    it('can be configured at start: no $everything, delay, auth', async () => {
      const server = await startFhirServer({
        resources: generateSyntheticHospital({ seed: 3 }).resources,
        offerEverything: false,
        faults: { delayMs: 50 },
        auth: { type: 'bearer', token: 'demo-token' },
      });
      try {
        expect((await fetch(`${server.baseUrl}/metadata`)).status).toBe(401);
        const res = await fetch(`${server.baseUrl}/metadata`, { headers: { authorization: 'Bearer demo-token' } });
        const cs = (await res.json()) as CapabilityStatement;
        expect(JSON.stringify(cs)).not.toContain('everything');
        const ev = await fetch(`${server.baseUrl}/Patient/${DEMO_PATIENT.fhirId}/$everything`, {
          headers: { authorization: 'Bearer demo-token' },
        });
        expect(ev.status).toBe(404);
      } finally {
        await server.stop();
      }
    });
  });
});
