import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createWorkstation, type Workstation } from '../../src/main/composition/index.ts';
import { createPassphraseKeyProtector, openCacheStore } from '../../src/main/services/cache/index.ts';

/**
 * Issue 17: during an outage the zh-CN screen named the potassium by its English LOINC long name,
 * because the cached merge took the EMR platform's CDA copy, whose code carried only the LOINC
 * displayName. A Chinese platform sends the lab's own name as originalText; so does the demo's.
 */
let hospital: DemoHospital;
let workstation: Workstation;
const faults = () => [hospital.fhir.faults, hospital.his.faults, hospital.lis.faults, hospital.platform.faults];

beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: false });
  const cache = await openCacheStore({
    directory: mkdtempSync(join(tmpdir(), 'huizhen-cached-lab-names-')),
    protector: createPassphraseKeyProtector('cached lab names passphrase', { log2Cost: 12 }),
  });
  const config = parseConfig({
    ...hospital.config,
    sources: hospital.config.sources.map((s) => ({ ...s, resilience: { timeoutMs: 3_000, searchTimeoutMs: 3_000, retries: 0 } })),
  });
  workstation = await createWorkstation(config, { cache });
});
afterAll(async () => {
  for (const f of faults()) f.reset();
  await workstation.close();
  await hospital.stop();
});

it('the potassium is named 钾 live and from the cache with every system hung, and its LOINC coding is kept', async () => {
  const { candidates } = await workstation.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi });
  const refs = candidates[0]!.refs;
  const potassium = async () => {
    const { entries, resources } = await workstation.loadTimeline(refs, new AbortController().signal);
    const platformCopies = resources.filter(
      (r) =>
        r.provenance.sourceId === 'emr-platform' &&
        r.resource.resourceType === 'Observation' &&
        /钾|Potassium/.test(JSON.stringify(r.resource)),
    );
    return { merged: entries.filter((e) => e.provenance.length > 1 && /钾|Potassium/.test(e.title)), platformCopies };
  };
  const live = await potassium();
  expect(live.merged.length).toBeGreaterThan(0);
  for (const e of live.merged) expect(e.title).toBe('钾');

  for (const f of faults()) f.set({ hang: true });
  const cached = await potassium();
  expect(cached.merged.length).toBe(live.merged.length);
  for (const e of cached.merged) expect(e.title).toBe('钾');
  // Merged system by system in the configuration's order, live or from the cache: the same record.
  expect(cached.merged.map((e) => e.provenance.map((p) => p.sourceId))).toEqual(
    live.merged.map((e) => e.provenance.map((p) => p.sourceId)),
  );
  // The EMR platform's own copy (its CDA) still carries its LOINC, and it is merged, not dropped.
  expect(cached.platformCopies.length).toBeGreaterThan(0);
  for (const copy of cached.platformCopies) expect(JSON.stringify(copy.resource)).toContain('2823-3');
  expect(cached.merged.some((e) => e.provenance.some((p) => p.sourceId === 'emr-platform'))).toBe(true);
}, 120_000);
