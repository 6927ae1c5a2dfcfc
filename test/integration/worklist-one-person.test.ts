import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { HIS_TRANSFER_NOT_IN_CDR } from '../../src/demo-hospital/his-mllp/his-census.ts';
import { WARD_CENSUS_WARDS } from '../../src/demo-hospital/synthetic/ward-census.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';

/**
 * The ward census from both the CDR (FHIR encounters) and the HIS (IHE ITI-22 over MLLP) of the
 * demo hospital, read through the access-checked API as the demo ward doctor: one row per
 * person — the two systems' stays linked by the identity service as search links them — with
 * both systems named, the HIS's bed shown, and the one bed they disagree on marked.
 */
let hospital: DemoHospital;
let composed: ComposedWorkstation;
const cardiology = WARD_CENSUS_WARDS.find((w) => w.code === 'CARD-1')!.occupied;

beforeAll(async () => {
  hospital = await startDemoHospital({ wardCensus: true, censusConfig: { his: true } });
  const sources = (hospital.config.sources ?? []).filter((s) => s.id === 'his' || s.id === 'cdr');
  const config = parseConfig({
    ...hospital.config,
    sources,
    cache: { directory: mkdtempSync(join(tmpdir(), 'huizhen-worklist-person-')) },
  });
  composed = await composeWorkstation(config, {
    protector: () => createPassphraseKeyProtector('worklist one person passphrase', { log2Cost: 12 }),
  });
}, 120_000);
afterAll(async () => {
  await composed?.workstation.close();
  await hospital?.stop();
});

describe('one worklist row per person across the HIS and the CDR', () => {
  it('each inpatient is one row naming both systems; the bed the HIS moved is the shown one, marked as a conflict', async () => {
    const api = composed.api;
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const live = await api.handlers.listWorklist({ from: 'systems' });
    expect(live.censusFailures).toBeUndefined();
    const onWard = live.rows.filter((r) => r.ward === 'CARD-1');
    expect(onWard).toHaveLength(cardiology);
    for (const row of onWard) expect(row.placements.map((p) => p.sourceId).sort()).toEqual(['cdr', 'his']);
    const names = onWard.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    const ouyang = live.rows.filter((r) => r.name === '欧阳志明');
    expect(ouyang).toHaveLength(1);
    expect(ouyang[0]!.refs.map((r) => r.sourceId).sort()).toEqual(['cdr', 'his']);

    const conflicts = onWard.filter((r) => r.placementConflict);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ bed: HIS_TRANSFER_NOT_IN_CDR.bed, room: HIS_TRANSFER_NOT_IN_CDR.room });
    expect(conflicts[0]!.placements.map((p) => [p.sourceId, p.bed])).toEqual([
      ['his', HIS_TRANSFER_NOT_IN_CDR.bed],
      ['cdr', HIS_TRANSFER_NOT_IN_CDR.cdrBed],
    ]);

    // The painted list (cache) groups the same way, and the row's refs open the whole person at once.
    const painted = await api.handlers.listWorklist({ from: 'cache' });
    expect(painted.rows.filter((r) => r.ward === 'CARD-1')).toHaveLength(cardiology);
    const opened = await api.handlers.openPatient({ refs: ouyang[0]!.refs, viewId: 'wl-person-1' });
    expect(opened.sources.map((s) => s.sourceId).sort()).toEqual(expect.arrayContaining(['cdr', 'his']));
    await api.handlers.closePatient({ viewId: opened.viewId });
    await api.handlers.signOut({});
  }, 120_000);

  it('a HIS that refuses the census query is named in censusFailures; the list keeps its rows', async () => {
    const api = composed.api;
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    hospital.his.faults.set({ errorRate: 1, nakCode: 'AR' });
    try {
      const live = await api.handlers.listWorklist({ from: 'systems' });
      // The HIS gave its census to the earlier listing: the rows it placed are as of then.
      expect(live.censusFailures).toEqual([{ sourceId: 'his', code: 'server-error', lastAnsweredAt: expect.any(String) }]);
      expect(live.censusAnsweredBy).toContain('cdr');
      expect(live.rows.filter((r) => r.ward === 'CARD-1')).toHaveLength(cardiology);
    } finally {
      hospital.his.faults.reset();
    }
    await api.handlers.signOut({});
  }, 120_000);
});
