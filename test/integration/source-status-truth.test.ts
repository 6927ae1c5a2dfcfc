import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createWorkstation, type Workstation } from '../../src/main/services/workstation/create-workstation.ts';

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
