import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { WARD_CENSUS_WARDS } from '../../src/demo-hospital/synthetic/ward-census.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';

/** The census from the demo CDR's in-progress Encounters (FHIR), through the secured API. */
let hospital: DemoHospital;
let composed: ComposedWorkstation;
const cardiology = WARD_CENSUS_WARDS.find((w) => w.code === 'CARD-1')!.occupied;

beforeAll(async () => {
  hospital = await startDemoHospital({ wardCensus: true });
  const config = parseConfig({ ...hospital.config, cache: { directory: mkdtempSync(join(tmpdir(), 'huizhen-worklist-fhir-')) } });
  composed = await composeWorkstation(config, {
    protector: () => createPassphraseKeyProtector('worklist fhir passphrase', { log2Cost: 12 }),
  });
}, 120_000);
afterAll(async () => {
  await composed?.workstation.close();
  await hospital?.stop();
});

describe('the ward census from the CDR (FHIR Encounter?location=…&status=in-progress)', () => {
  it("fills the ward doctor's worklist live: the whole ward, plus their patients on another ward, and nobody else's", async () => {
    const api = composed.api;
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    expect((await api.handlers.listWorklist({ from: 'cache' })).rows).toEqual([]);
    const live = await api.handlers.listWorklist({ from: 'systems' });
    expect(live.from).toBe('systems');
    const onWard = live.rows.filter((r) => r.ward === 'CARD-1');
    const elsewhere = live.rows.filter((r) => r.ward !== 'CARD-1');
    expect(onWard).toHaveLength(cardiology);
    expect(elsewhere.length).toBeGreaterThan(0);
    expect(elsewhere.every((r) => r.mine && r.basis === 'treating')).toBe(true);
    expect(live.rows.map((r) => Number(r.bed)).slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    for (const row of live.rows) {
      expect(row.name).toMatch(/\p{Script=Han}/u);
      expect(row.admissionDay).toBeGreaterThanOrEqual(1);
      expect(row.diagnosis).toBeTruthy();
      expect(row.pendingSources).toEqual([]);
    }
    expect(live.rows.some((r) => r.newResults.critical > 0)).toBe(true);
    expect(live.rows.some((r) => r.allergies === 'yes')).toBe(true);
    // Painted from the kept census and cache next time, with the same rows.
    const painted = await api.handlers.listWorklist({ from: 'cache' });
    expect(painted.rows.map((r) => r.key)).toEqual(live.rows.map((r) => r.key));
    await api.handlers.signOut({});
  });

  it('the nurse on CARD-1 gets the ward only; a patient on RESP-2 whom she does not nurse is never listed', async () => {
    const api = composed.api;
    await api.handlers.signInLocal({ username: 'nurse', password: DEMO_PASSWORD });
    const { rows } = await api.handlers.listWorklist({ from: 'systems' });
    expect(rows).toHaveLength(cardiology);
    expect(rows.every((r) => r.ward === 'CARD-1' && r.basis === 'ward')).toBe(true);
    await api.handlers.signOut({});
  });

  it('a worklist row opens with ward grounds', async () => {
    const api = composed.api;
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const row = (await api.handlers.listWorklist({ from: 'cache' })).rows[0]!;
    const opened = await api.handlers.openPatient({ refs: row.refs });
    expect(['ward', 'treating']).toContain(opened.access.basis);
    expect(opened.entries.length).toBeGreaterThan(0);
    await api.handlers.closePatient({ viewId: opened.viewId });
    expect((await api.handlers.listWorklist({ from: 'cache' })).rows[0]!.newResults.count).toBe(0);
    await api.handlers.signOut({});
  });
});
