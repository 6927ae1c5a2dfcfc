import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { createWorkstation, type Workstation } from '../../src/main/composition/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';

let hospital: DemoHospital;
let ws: Workstation;

beforeAll(async () => {
  hospital = await startDemoHospital();
  ws = await createWorkstation(parseConfig(hospital.config));
});
afterAll(async () => {
  await ws.close();
  await hospital.stop();
});

/** The demo hospital has two 杨 (杨俊杰, 杨丽华), across the CDR, the HIS and the platform. */
describe('surname search across the demo hospital', () => {
  it.each(['杨', 'yang', 'Yang'])('"%s" lists every patient of that surname, each once', async (query) => {
    const { candidates, more } = await ws.handlers.searchPatients({ query });
    expect(candidates.map((c) => c.displayName).sort()).toEqual(['杨丽华', '杨俊杰'].sort());
    expect(more).toBeUndefined();
  });

  it('a limit caps the list and the answer says there are more', async () => {
    const { candidates, more } = await ws.handlers.searchPatients({ query: '杨', limit: 1 });
    expect(candidates).toHaveLength(1);
    expect(more).toBe(true);
  });
});
