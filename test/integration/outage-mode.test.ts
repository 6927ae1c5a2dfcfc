import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { HIS_DEMO_MRN } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector, openCacheStore } from '../../src/main/services/cache/index.ts';
import { createWorkstation, type Workstation } from '../../src/main/composition/index.ts';

let hospital: DemoHospital;
const cacheDir = mkdtempSync(join(tmpdir(), 'huizhen-outage-'));

async function workstation(timeoutMs = 1500): Promise<Workstation> {
  const config = parseConfig({
    ...hospital.config,
    sources: hospital.config.sources.map((s) => ({ ...s, resilience: { timeoutMs, retries: 0 } })),
  });
  // A low scrypt cost keeps the test quick; the cost is the protector's, not the cache's, concern.
  const cache = await openCacheStore({
    directory: cacheDir,
    protector: createPassphraseKeyProtector('outage test passphrase', { log2Cost: 12 }),
  });
  return createWorkstation(config, { cache });
}

function everyFile(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? everyFile(path) : [path];
  });
}

beforeAll(async () => {
  hospital = await startDemoHospital();
});
afterAll(async () => hospital.stop());

describe('reading during outages (encrypted cache, cache-first)', () => {
  let liveCount = 0;

  it("a live open caches every system's part", async () => {
    const ws = await workstation();
    const { candidates } = await ws.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi });
    const zhang = candidates.find((c) => c.refs.some((r) => r.sourcePatientId === DEMO_PATIENT.fhirId))!;
    const live = await ws.handlers.openPatient({ refs: zhang.refs });
    liveCount = live.entries.length;
    expect(live.sources.every((s) => s.state === 'ok' || s.state === 'slow')).toBe(true);
    expect(new Set(live.entries.flatMap((e) => e.provenance.map((p) => p.sourceId)))).toEqual(
      new Set(['cdr', 'lis', 'emr-platform', 'his'].filter((id) => live.entries.some((e) => e.provenance.some((p) => p.sourceId === id)))),
    );
    await ws.close();
  });

  it('with every system hanging, the same patient opens from the cache, each source marked "as of" its sync', async () => {
    for (const faults of [hospital.fhir.faults, hospital.his.faults, hospital.lis.faults, hospital.platform.faults])
      faults.set({ hang: true });
    const ws = await workstation(400);
    try {
      const events: { complete: boolean; count: number }[] = [];
      ws.subscribe((e) => {
        if (e.type === 'timeline.updated') events.push({ complete: e.complete, count: e.entries.length });
      });
      const { candidates } = await ws.handlers.searchPatients({ query: HIS_DEMO_MRN });
      expect(candidates.length).toBeGreaterThan(0);
      const refs = candidates[0]!.refs;
      const opened = await ws.handlers.openPatient({ refs });
      // The cached timeline painted before any system gave up.
      expect(events[0]).toMatchObject({ complete: false });
      expect(events[0]!.count).toBeGreaterThan(0);
      expect(opened.entries.length).toBeGreaterThan(0);
      for (const s of opened.sources) {
        expect(s.state).toBe('cached');
        expect(s.cachedAsOf).toMatch(/^\d{4}-\d{2}-\d{2}T/);
        expect(s.error?.code).toBe('timeout');
      }
    } finally {
      for (const faults of [hospital.fhir.faults, hospital.his.faults, hospital.lis.faults, hospital.platform.faults]) faults.reset();
      await ws.close();
    }
  });

  it('searching by an identifier finds the cached patient while its system is down', async () => {
    hospital.fhir.faults.set({ hang: true });
    const ws = await workstation(400);
    try {
      const { candidates, sources } = await ws.handlers.searchPatients({ query: DEMO_PATIENT.mrn });
      expect(sources.find((s) => s.sourceId === 'cdr')?.state).toBe('failed');
      expect(candidates.some((c) => c.refs.some((r) => r.sourceId === 'cdr' && r.sourcePatientId === DEMO_PATIENT.fhirId))).toBe(true);
    } finally {
      hospital.fhir.faults.reset();
      await ws.close();
    }
  });

  it('the cache on disk holds no patient name or identifier in plaintext', () => {
    expect(liveCount).toBeGreaterThan(0);
    const needles = [DEMO_PATIENT.nameHanzi, DEMO_PATIENT.namePinyin, DEMO_PATIENT.mrn, DEMO_PATIENT.residentId, HIS_DEMO_MRN].flatMap(
      (n) => [Buffer.from(n, 'utf8'), Buffer.from(n, 'utf16le')],
    );
    const files = everyFile(cacheDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const needle of needles) expect(bytes.includes(needle), `${needle.toString()} in ${file}`).toBe(false);
    }
  });
});
