import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { createFhirAdapter } from '../../src/adapters/fhir/fhir-adapter.ts';
import { SourceError } from '../../src/adapters/source-error.ts';
import type { SourcedResource } from '../../src/adapters/source-adapter.ts';
import { startFhirServer, type DemoFhirServer } from '../../src/demo-hospital/fhir-server/fhir-server.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { fhirClosedPortUrl, fhirSourceConfig } from '../support/fhir-source-config.ts';
import { startFhirScriptedServer } from '../support/fhir-scripted-server.ts';

const data = generateSyntheticHospital({ seed: 11 });
const demoCount = data.patients.find((p) => p.id === DEMO_PATIENT.fhirId)?.resourceCount ?? 0;
let server: DemoFhirServer;
const signal = (): AbortSignal => new AbortController().signal;

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError;
  }
  throw new Error('expected a SourceError');
}

const CAPABILITIES_WITH_EVERYTHING = {
  resourceType: 'CapabilityStatement',
  fhirVersion: '4.0.1',
  rest: [
    {
      mode: 'server',
      resource: [
        { type: 'Patient', operation: [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }] },
      ],
    },
  ],
};

const keys = (items: SourcedResource[]): string[] => items.map((i) => `${i.resource.resourceType}/${i.resource.id}`).sort();

beforeAll(async () => {
  server = await startFhirServer({ resources: data.resources });
});
afterAll(async () => {
  await server.stop();
});
afterEach(() => server.faults.reset());

describe('FHIR adapter: searchPatients', () => {
  it.each([
    ['CDR-000001', 'identifier'],
    [DEMO_PATIENT.residentId, 'identifier'],
    ['张伟', 'name'],
    ['Zhang Wei', 'name'],
    ['zhang', 'name'],
    ['1968-03-12', 'birthdate'],
    ['张伟 1968-03-12', 'name'],
  ])('finds the demo patient by "%s" (%s search)', async (text, param) => {
    const adapter = createFhirAdapter(fhirSourceConfig(server.baseUrl));
    const before = server.requests.length;
    const found = await adapter.searchPatients({ text }, { signal: signal() });
    const zhang = found.find((f) => f.resource.id === DEMO_PATIENT.fhirId);
    expect(zhang?.resource.name?.[0]?.text).toBe('张伟');
    expect(zhang?.provenance).toEqual({
      sourceId: 'cdr',
      sourceName: 'CDR (FHIR R4)',
      sourceKind: 'fhir',
      nativeId: `Patient/${DEMO_PATIENT.fhirId}`,
      messageType: 'FHIR search',
      fetchedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(server.requests.slice(before).some((r) => r.url.includes(`${param}=`))).toBe(true);
  });

  it('returns nothing for blank or unknown queries', async () => {
    const adapter = createFhirAdapter(fhirSourceConfig(server.baseUrl));
    expect(await adapter.searchPatients({ text: '   ' }, { signal: signal() })).toEqual([]);
    expect(await adapter.searchPatients({ text: '无此人' }, { signal: signal() })).toEqual([]);
  });
});

describe('FHIR adapter: names with digits (Synthea writes "Johnnie679 Hermiston71")', () => {
  const synthea: Resource = {
    resourceType: 'Patient',
    id: 'synthea-1',
    identifier: [{ system: 'https://github.com/synthetichealth/synthea', value: 'b6e6f1a0-0000-4000-8000-000000000679' }],
    name: [{ use: 'official', family: 'Hermiston71', given: ['Johnnie679'], prefix: ['Mr.'] }],
    gender: 'male',
    birthDate: '1961-04-17',
  };
  let synth: DemoFhirServer;
  beforeAll(async () => {
    synth = await startFhirServer({
      resources: [
        synthea,
        { resourceType: 'Patient', id: 'mrn-like', identifier: [{ value: 'Johnnie679' }], name: [{ family: 'Other', given: ['Person'] }] },
      ],
    });
  });
  afterAll(async () => {
    await synth.stop();
  });

  it.each([['Johnnie679 Hermiston71'], ['Hermiston71 Johnnie679'], ['hermiston71'], ['Johnnie679 1961-04-17']])(
    'finds the patient by "%s", and an identifier equal to a typed word too',
    async (text) => {
      const adapter = createFhirAdapter(fhirSourceConfig(synth.baseUrl));
      const found = await adapter.searchPatients({ text }, { signal: signal() });
      expect(found.map((f) => f.resource.id)).toContain('synthea-1');
      if (text.startsWith('Johnnie679 H')) expect(found.map((f) => f.resource.id)).toContain('mrn-like');
    },
  );
});

describe('FHIR adapter: fetchRecord', () => {
  it('reads the whole record with $everything, following next links page by page', async () => {
    const adapter = createFhirAdapter(fhirSourceConfig(server.baseUrl), { pageSize: 10 });
    const before = server.requests.length;
    const record = await adapter.fetchRecord(DEMO_PATIENT.fhirId, { signal: signal() });
    expect(record).toHaveLength(demoCount);
    expect(new Set(keys(record)).size).toBe(demoCount);
    expect(
      record.every(
        (r) =>
          r.provenance.messageType === 'FHIR Patient/$everything' &&
          r.provenance.nativeId === `${r.resource.resourceType}/${r.resource.id}`,
      ),
    ).toBe(true);
    const pages = server.requests.slice(before).filter((r) => r.url.includes('$everything'));
    expect(pages).toHaveLength(Math.ceil(demoCount / 10));
  });

  it('falls back to concurrent per-type searches when the server has no $everything', async () => {
    const plain = await startFhirServer({ resources: data.resources, offerEverything: false });
    try {
      const adapter = createFhirAdapter(fhirSourceConfig(plain.baseUrl), { pageSize: 7 });
      const record = await adapter.fetchRecord(DEMO_PATIENT.fhirId, { signal: signal() });
      const reference = await createFhirAdapter(fhirSourceConfig(server.baseUrl)).fetchRecord(DEMO_PATIENT.fhirId, { signal: signal() });
      expect(keys(record)).toEqual(keys(reference));
      expect(plain.requests.some((r) => r.url.includes('$everything'))).toBe(false);
      expect(plain.requests.some((r) => r.url.startsWith('/fhir/Observation?') && r.url.includes('_offset=7'))).toBe(true);
      expect(plain.requests.filter((r) => /^\/fhir\/[A-Za-z]+\?patient=/.test(r.url) && !r.url.includes('_offset')).length).toBe(13);
    } finally {
      await plain.stop();
    }
  });

  it('asks only for changes when given since (_since / _lastUpdated)', async () => {
    const since = '2024-01-01T00:00:00.000Z';
    const all = await createFhirAdapter(fhirSourceConfig(server.baseUrl)).fetchRecord(DEMO_PATIENT.fhirId, { signal: signal() });
    const recent = await createFhirAdapter(fhirSourceConfig(server.baseUrl)).fetchRecord(DEMO_PATIENT.fhirId, { signal: signal(), since });
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.length);
    expect(recent.every((r) => (r.resource.meta?.lastUpdated ?? '') > since)).toBe(true);

    const plain = await startFhirServer({ resources: data.resources, offerEverything: false });
    try {
      const viaSearch = await createFhirAdapter(fhirSourceConfig(plain.baseUrl)).fetchRecord(DEMO_PATIENT.fhirId, {
        signal: signal(),
        since,
      });
      expect(keys(viaSearch)).toEqual(keys(recent));
      expect(plain.requests.some((r) => decodeURIComponent(r.url).includes('_lastUpdated=gt2024'))).toBe(true);
    } finally {
      await plain.stop();
    }
  });

  it('fails rather than truncates past the page cap, and detects paging loops', async () => {
    const capped = createFhirAdapter(fhirSourceConfig(server.baseUrl), { pageSize: 5, maxPages: 2 });
    expect((await failure(capped.fetchRecord(DEMO_PATIENT.fhirId, { signal: signal() }))).code).toBe('protocol');

    const looping = await startFhirScriptedServer((req, base) =>
      req.url?.endsWith('/metadata')
        ? { body: CAPABILITIES_WITH_EVERYTHING }
        : {
            body: {
              resourceType: 'Bundle',
              type: 'searchset',
              entry: [{ resource: { resourceType: 'Patient', id: 'p1' } }],
              link: [{ relation: 'next', url: `${base}/Patient/p1/$everything?page=1` }],
            },
          },
    );
    try {
      const error = await failure(createFhirAdapter(fhirSourceConfig(looping.baseUrl)).fetchRecord('p1', { signal: signal() }));
      expect(error.code).toBe('protocol');
      expect(error.message).toMatch(/loop/);
    } finally {
      await looping.stop();
    }
  });

  it('refuses next links to another origin', async () => {
    const elsewhere = await startFhirScriptedServer((req) =>
      req.url?.endsWith('/metadata')
        ? { body: CAPABILITIES_WITH_EVERYTHING }
        : { body: { resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'next', url: 'http://127.0.0.2:9/fhir/steal' }] } },
    );
    try {
      const adapter = createFhirAdapter(fhirSourceConfig(elsewhere.baseUrl, { auth: { type: 'bearer', token: 'tok-abc' } }));
      const error = await failure(adapter.fetchRecord('p1', { signal: signal() }));
      expect(error.code).toBe('protocol');
      expect(error.message).toMatch(/another origin/);
    } finally {
      await elsewhere.stop();
    }
  });
});

describe('FHIR adapter: probe', () => {
  it('reports reachability, latency and version', async () => {
    const result = await createFhirAdapter(fhirSourceConfig(server.baseUrl)).probe({ signal: signal() });
    expect(result).toMatchObject({ reachable: true, authOk: true, protocolVersion: 'FHIR 4.0.1 (Huizhen Demo CDR 0.1.0)' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('reports authOk false on 401/403 and unreachable on a closed port', async () => {
    server.faults.set({ errorRate: 1, errorStatus: 403 });
    expect(await createFhirAdapter(fhirSourceConfig(server.baseUrl)).probe({ signal: signal() })).toMatchObject({
      reachable: true,
      authOk: false,
    });
    const closed = await createFhirAdapter(fhirSourceConfig(await fhirClosedPortUrl())).probe({ signal: signal() });
    expect(closed.reachable).toBe(false);
    expect(closed.detail).toMatch(/connection refused/);
  });
});

describe('FHIR adapter: errors', () => {
  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [410, 'gone'],
    [500, 'server-error'],
    [503, 'server-error'],
  ])('maps HTTP %i to %s with the OperationOutcome diagnostics', async (status, code) => {
    server.faults.set({ errorRate: 1, errorStatus: status });
    const error = await failure(createFhirAdapter(fhirSourceConfig(server.baseUrl)).searchPatients({ text: '张伟' }, { signal: signal() }));
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.sourceId).toBe('cdr');
    expect(error.request).toBe('GET Patient');
    expect(error.message).toContain(`Injected fault: HTTP ${status}`);
  });

  it('maps 429 to rate-limited with Retry-After in ms', async () => {
    server.faults.set({ errorRate: 1, errorStatus: 429, retryAfterSeconds: 7 });
    const error = await failure(
      createFhirAdapter(fhirSourceConfig(server.baseUrl)).searchPatients({ text: 'CDR-000001' }, { signal: signal() }),
    );
    expect(error.code).toBe('rate-limited');
    expect(error.retryAfterMs).toBe(7000);
    expect(error.transient).toBe(true);
  });

  it('maps an unknown patient to not-found', async () => {
    const error = await failure(createFhirAdapter(fhirSourceConfig(server.baseUrl)).fetchRecord('no-such-patient', { signal: signal() }));
    expect(error.code).toBe('not-found');
    expect(error.request).toBe('GET Patient/no-such-patient/$everything');
  });

  it('maps malformed JSON and a wrong resourceType to protocol, naming source and path', async () => {
    const adapter = createFhirAdapter(fhirSourceConfig(server.baseUrl));
    server.faults.set({ corruptBody: 'malformed-json' });
    const malformed = await failure(adapter.searchPatients({ text: '张伟' }, { signal: signal() }));
    expect(malformed.code).toBe('protocol');
    expect(malformed.message).toMatch(/^CDR \(FHIR R4\): GET Patient: .*not JSON/);
    server.faults.set({ corruptBody: 'wrong-resource-type' });
    const wrong = await failure(adapter.searchPatients({ text: '张伟' }, { signal: signal() }));
    expect(wrong.code).toBe('protocol');
    expect(wrong.message).toMatch(/expected a Bundle but got a Basic/);
  });

  it('maps connection refused to unreachable', async () => {
    const error = await failure(
      createFhirAdapter(fhirSourceConfig(await fhirClosedPortUrl())).searchPatients({ text: '张伟' }, { signal: signal() }),
    );
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(/connection refused/);
  });

  it('cuts a hanging server at the configured deadline', async () => {
    server.faults.set({ hang: true });
    const adapter = createFhirAdapter(fhirSourceConfig(server.baseUrl, { resilience: { timeoutMs: 300, retries: 0, slowMs: 100 } }));
    const started = performance.now();
    const error = await failure(adapter.searchPatients({ text: '张伟' }, { signal: signal() }));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(2000);
  });

  it('treats a caller deadline (AbortSignal.timeout) as timeout and a cancel as aborted', async () => {
    server.faults.set({ delayMs: 2000 });
    const adapter = createFhirAdapter(fhirSourceConfig(server.baseUrl));
    const deadline = await failure(adapter.searchPatients({ text: '张伟' }, { signal: AbortSignal.timeout(150) }));
    expect(deadline.code).toBe('timeout');

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const cancelled = await failure(adapter.fetchRecord(DEMO_PATIENT.fhirId, { signal: controller.signal }));
    expect(cancelled.code).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(1500);
  });
});

describe('FHIR adapter: auth', () => {
  const secrets = { password: 's3cret-pa55', token: 'tok-9f8e7d6c' };

  it.each([
    [
      'basic',
      { type: 'basic' as const, username: 'clinician', password: secrets.password },
      `Basic ${Buffer.from(`clinician:${secrets.password}`).toString('base64')}`,
    ],
    ['bearer', { type: 'bearer' as const, token: secrets.token }, `Bearer ${secrets.token}`],
  ])('sends %s credentials and never leaks them in errors', async (_name, auth, header) => {
    const guarded = await startFhirServer({ resources: data.resources, auth });
    try {
      const adapter = createFhirAdapter(fhirSourceConfig(guarded.baseUrl, { auth }));
      const record: SourcedResource<Resource>[] = await adapter.fetchRecord(DEMO_PATIENT.fhirId, { signal: signal() });
      expect(record.length).toBe(demoCount);
      expect(guarded.requests.every((r) => r.authorization === header)).toBe(true);

      const wrongAuth =
        auth.type === 'basic' ? { ...auth, password: `${secrets.password}-wrong` } : { ...auth, token: `${secrets.token}-wrong` };
      const error = await failure(
        createFhirAdapter(fhirSourceConfig(guarded.baseUrl, { auth: wrongAuth })).searchPatients({ text: '张伟' }, { signal: signal() }),
      );
      expect(error.code).toBe('unauthorized');
      guarded.faults.set({ hang: true });
      const timeout = await failure(
        createFhirAdapter(
          fhirSourceConfig(guarded.baseUrl, { auth: wrongAuth, resilience: { timeoutMs: 200, retries: 0, slowMs: 100 } }),
        ).searchPatients({ text: '张伟' }, { signal: signal() }),
      );
      for (const e of [error, timeout]) {
        const everything = `${e.message} ${e.stack ?? ''} ${JSON.stringify(e)} ${String(e.cause)} ${JSON.stringify(e.toInfo())}`;
        for (const secret of [secrets.password, secrets.token, Buffer.from(`clinician:${secrets.password}`).toString('base64')]) {
          expect(everything).not.toContain(secret);
        }
      }
    } finally {
      await guarded.stop();
    }
  });
});
