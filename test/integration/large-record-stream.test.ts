import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../src/shared/api/events.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createWorkstation, type Workstation } from '../../src/main/composition/index.ts';

/**
 * A large record streams its first screen while it loads (a browser blocks for seconds taking
 * in one 30 MB snapshot); the reply carries the whole timeline.
 */
let hospital: DemoHospital;
let workstation: Workstation;

beforeAll(async () => {
  hospital = await startDemoHospital({ extraObservations: 1_500, fhir: { delayMs: 300 } });
  workstation = await createWorkstation(parseConfig(hospital.config));
}, 60_000);
afterAll(async () => {
  await workstation.close();
  await hospital.stop();
});

describe('streaming a large record', () => {
  it('sends partial snapshots as the newest entries plus every stay, with the total, then the whole timeline', async () => {
    const events: Extract<ApiEvent, { type: 'timeline.updated' }>[] = [];
    const off = workstation.subscribe((e) => e.type === 'timeline.updated' && events.push(e));
    const { candidates } = await workstation.handlers.searchPatients({ query: DEMO_PATIENT.residentId });
    const result = await workstation.handlers.openPatient({ refs: candidates[0]!.refs });
    off();
    expect(result.entries.length).toBeGreaterThan(1_500);
    const partials = events.filter((e) => e.openId === result.openId);
    expect(partials.length).toBeGreaterThan(0);
    const large = partials.filter((e) => e.totalEntries !== undefined);
    expect(large.length).toBeGreaterThan(0);
    for (const e of large) {
      expect(e.complete).toBe(false);
      expect(e.entries.length).toBeLessThan(e.totalEntries!);
      expect(e.entries.length).toBeLessThanOrEqual(200 + 500);
      // Every stay is there, so grouping and the access rules work on the first screen.
      const stays = new Set(e.entries.filter((x) => x.kind === 'encounter').map((x) => x.id));
      for (const entry of e.entries) if (entry.encounterId) expect(stays.has(entry.encounterId)).toBe(true);
    }
    const encountersInFull = result.entries.filter((e) => e.kind === 'encounter').length;
    const last = large.at(-1)!;
    expect(last.entries.filter((e) => e.kind === 'encounter').length).toBeLessThanOrEqual(encountersInFull);
    expect(last.entries.filter((e) => e.kind === 'encounter').length).toBeGreaterThan(0);
  }, 60_000);
});
