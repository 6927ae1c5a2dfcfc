import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../src/shared/api/events.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { LIS_DEMO_MRN } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';
import { RawMllpSender, field, oruR01 } from '../support/inbound-hl7-harness.ts';
import { freePort } from '../support/free-port.ts';

let hospital: DemoHospital;
let composed: ComposedWorkstation;
let inboundPort = 0;

beforeAll(async () => {
  hospital = await startDemoHospital();
  inboundPort = await freePort();
  const config = parseConfig({
    ...hospital.config,
    cache: { directory: mkdtempSync(join(tmpdir(), 'huizhen-push-')) },
    inboundHl7: { enabled: true, port: inboundPort, sourceId: 'lis' },
  });
  composed = await composeWorkstation(config, { protector: () => createPassphraseKeyProtector('push test passphrase', { log2Cost: 12 }) });
});
afterAll(async () => {
  await composed.workstation.close();
  await hospital.stop();
});

describe('a result pushed by the LIS while the patient is open', () => {
  it('is acknowledged after it is stored and appears on the open timeline at once, merged with the pulled record', async () => {
    const ws = composed.workstation;
    const { candidates } = await ws.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi });
    const zhang = candidates.find((c) => c.refs.some((r) => r.sourceId === 'lis' && r.sourcePatientId === LIS_DEMO_MRN))!;
    expect(zhang).toBeDefined();
    const viewId = crypto.randomUUID();
    const opened = await ws.handlers.openPatient({ refs: zhang.refs, viewId });
    const before = opened.entries.length;

    const updates: Extract<ApiEvent, { type: 'timeline.updated' }>[] = [];
    ws.subscribe((e) => {
      if (e.type === 'timeline.updated' && e.viewId === viewId && e.complete) updates.push(e);
    });
    const sender = await RawMllpSender.connect(inboundPort);
    try {
      const ack = await sender.exchange(oruR01({ controlId: 'PUSH-OPEN-1', mrn: LIS_DEMO_MRN, glucose: '11.7' }));
      expect(field(ack, 'MSA', 1)).toBe('AA');
    } finally {
      sender.close();
    }
    await expect.poll(() => updates.length, { timeout: 5000 }).toBeGreaterThan(0);
    const latest = updates.at(-1)!;
    const pushed = latest.entries.find((e) => e.kind === 'observation' && e.lab?.value === 11.7);
    expect(pushed?.provenance.some((p) => p.sourceId === 'lis' && p.messageType?.includes('push'))).toBe(true);
    expect(latest.entries.length).toBeGreaterThan(before);
  });
});
