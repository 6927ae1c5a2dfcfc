import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPassphraseKeyProtector, openCacheStore } from '../../src/main/services/cache/index.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createWorkstation, type Workstation } from '../../src/main/composition/index.ts';

let hospital: DemoHospital;
let workstation: Workstation;

beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: false });
  workstation = await createWorkstation(parseConfig(hospital.config));
});
afterAll(async () => {
  await workstation.close();
  await hospital.stop();
});

describe('source status tells the truth about searches', () => {
  it('a system that was not asked (a LIS searchable only by its own ids, asked for a name) is not reported as answering', async () => {
    const lisConfig = parseConfig(hospital.config).sources.find((s) => s.id === 'lis');
    expect(lisConfig?.kind === 'hl7v2' ? lisConfig.services : undefined).not.toContain('pdq');
    const { sources } = await workstation.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi });
    const lis = sources.find((s) => s.sourceId === 'lis');
    expect(lis?.state).toBe('idle');
    expect(lis?.lastSuccessAt).toBeUndefined();
    expect(sources.find((s) => s.sourceId === 'cdr')?.state).toMatch(/ok|slow/);
  });

  it('a dead LIS asked by its own id is failed, not ok', async () => {
    hospital.lis.faults.set({ drop: true });
    try {
      const { sources } = await workstation.handlers.searchPatients({ query: 'L202500001' });
      const lis = sources.find((s) => s.sourceId === 'lis');
      expect(lis?.state).toMatch(/failed|circuit-open/);
    } finally {
      hospital.lis.faults.reset();
    }
  });
});

describe('during an outage, a search finds what the cache holds for every system', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'huizhen-status-truth-'));
  const allFaults = () => [hospital.fhir.faults, hospital.his.faults, hospital.lis.faults, hospital.platform.faults];
  async function cachedWorkstation(): Promise<Workstation> {
    const config = parseConfig({
      ...hospital.config,
      // The record fetch keeps its long deadline; the interactive search has its own short one.
      sources: hospital.config.sources.map((s) => ({ ...s, resilience: { timeoutMs: 1_500, searchTimeoutMs: 300, retries: 0 } })),
    });
    const cache = await openCacheStore({
      directory: cacheDir,
      protector: createPassphraseKeyProtector('status truth passphrase', { log2Cost: 12 }),
    });
    return createWorkstation(config, { cache });
  }

  it('every system hanging: the search stops at its own deadline and the LIS part (reachable live only through cross-references) is still in the candidate and the open', async () => {
    const live = await cachedWorkstation();
    const { candidates } = await live.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi });
    const refs = candidates.find((c) => c.refs.some((r) => r.sourcePatientId === DEMO_PATIENT.fhirId))!.refs;
    expect(refs.map((r) => r.sourceId)).toContain('lis');
    await live.handlers.openPatient({ refs });
    await live.close();

    for (const f of allFaults()) f.set({ hang: true });
    const ws = await cachedWorkstation();
    try {
      const search = await ws.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi });
      const zhang = search.candidates.find((c) => c.refs.some((r) => r.sourcePatientId === DEMO_PATIENT.fhirId));
      expect(zhang?.refs.map((r) => r.sourceId)).toContain('lis');
      const cdr = search.sources.find((s) => s.sourceId === 'cdr');
      expect(cdr?.state).toBe('failed');
      expect(cdr?.error?.code).toBe('timeout');
      expect(cdr?.error?.message).toContain('300 ms');

      const opened = await ws.handlers.openPatient({ refs: zhang!.refs });
      expect(opened.entries.some((e) => e.provenance.some((p) => p.sourceId === 'lis'))).toBe(true);
      expect(opened.sources.find((s) => s.sourceId === 'lis')).toMatchObject({
        state: 'cached',
        cachedAsOf: expect.stringMatching(/^\d{4}-/),
      });
    } finally {
      for (const f of allFaults()) f.reset();
      await ws.close();
    }
  });
});
