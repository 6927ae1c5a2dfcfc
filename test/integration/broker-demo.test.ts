/**
 * The demo hospital's broker end to end in main: RabbitMQ started by the demo, the platform's
 * scheduled ward events, the composed workstation subscribed to the signed-in doctor's ward, and
 * an open patient updated when its admission and result arrive.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIS_DEMO_MRN } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/demo-users.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import type { AdtArrived } from '../../src/main/services/inbound-broker/broker-subscription.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';
import type { ApiEvent } from '../../src/shared/api/events.ts';
import { rabbitmqSkipReason, until } from '../support/rabbitmq.ts';

let hospital: DemoHospital;
let composed: ComposedWorkstation;
let cacheDir: string;

describe.skipIf(rabbitmqSkipReason)("the demo hospital publishes ward events; the workstation follows its doctor's ward", () => {
  beforeAll(async () => {
    hospital = await startDemoHospital({ broker: { intervalMs: 0 } });
    cacheDir = mkdtempSync(join(tmpdir(), 'huizhen-broker-demo-'));
    const config = parseConfig({ ...hospital.config, cache: { directory: cacheDir } });
    composed = await composeWorkstation(config, {
      protector: () => createPassphraseKeyProtector('broker demo passphrase', { log2Cost: 12 }),
    });
  }, 240_000);
  afterAll(async () => {
    await composed?.workstation.close();
    await hospital?.stop();
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  }, 60_000);

  it('binds CARD-1 once the ward doctor signs in, stores the admission and result, and updates the open patient', async () => {
    expect(hospital.notices).toEqual([]);
    const broker = composed.broker!;
    expect(broker).toBeDefined();
    await until(() => broker.state() === 'connected', 60_000, 'the subscription');
    expect(broker.wards()).toEqual([]);
    await composed.api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    await until(() => broker.wards().join() === 'CARD-1', 10_000, "the doctor's ward");

    const ws = composed.workstation;
    const { candidates } = await ws.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi });
    const patient = candidates.find((c) => c.refs.some((r) => r.sourceId === 'his' && r.sourcePatientId === HIS_DEMO_MRN))!;
    expect(patient).toBeDefined();
    const viewId = crypto.randomUUID();
    await ws.handlers.openPatient({ refs: patient.refs, viewId });
    const updates: Extract<ApiEvent, { type: 'timeline.updated' }>[] = [];
    ws.subscribe((e) => {
      if (e.type === 'timeline.updated' && e.viewId === viewId && e.complete) updates.push(e);
    });
    const admissions: AdtArrived[] = [];
    broker.onAdtArrived((e) => admissions.push(e));

    // Twelve stays alternate between CARD-1 and RESP-2; the thirteenth event is this patient's first result.
    const published = [];
    for (let i = 0; i < 13; i++) published.push(await hospital.broker!.publishNext());
    expect(published[0]).toMatchObject({ routingKey: 'adt.CARD-1' });
    expect(published[12]).toMatchObject({ routingKey: 'oru.CARD-1' });
    const forCard = published.filter((e) => e.routingKey.endsWith('.CARD-1'));

    await until(() => admissions.length === forCard.filter((e) => e.routingKey.startsWith('adt.')).length, 30_000, 'the CARD-1 admissions');
    expect(admissions[0]).toMatchObject({
      ward: 'CARD-1',
      messageType: 'ADT^A01',
      patients: [{ sourceId: 'his', sourcePatientId: HIS_DEMO_MRN }],
    });
    await until(
      () =>
        updates.some((u) =>
          u.entries.some(
            (e) => e.kind === 'observation' && e.provenance.some((p) => p.sourceId === 'his' && p.messageType?.includes('push')),
          ),
        ),
      30_000,
      'the result on the open timeline',
    );
    // RESP-2's events were not this workstation's: nothing of them was stored or announced.
    expect(admissions.every((a) => a.ward === 'CARD-1')).toBe(true);
    // The ward census follows the broker's ADT: the admitted patient is on the doctor's worklist.
    const { rows } = await composed.api.handlers.listWorklist({ from: 'cache' });
    expect(rows.find((r) => r.refs.some((ref) => ref.sourceId === 'his' && ref.sourcePatientId === HIS_DEMO_MRN))).toMatchObject({
      ward: 'CARD-1',
      basis: 'ward',
    });
    // Signing out keeps the ward bound: the next shift finds what arrived in between.
    await composed.api.handlers.signOut({});
    expect(broker.wards()).toEqual(['CARD-1']);
  }, 120_000);
});

describe('the demo hospital where RabbitMQ is not installed', () => {
  it('runs without a broker and says so in one line; the workstation config has no broker section', async () => {
    const before = process.env.HUIZHEN_RABBITMQ_SERVER;
    process.env.HUIZHEN_RABBITMQ_SERVER = '/nonexistent/rabbitmq-server';
    let demo: DemoHospital | undefined;
    try {
      demo = await startDemoHospital({ broker: true });
      expect(demo.notices).toEqual([expect.stringMatching(/^broker off: rabbitmq-server is not installed/)]);
      expect(demo.broker).toBeUndefined();
      expect(demo.config.broker).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.HUIZHEN_RABBITMQ_SERVER;
      else process.env.HUIZHEN_RABBITMQ_SERVER = before;
      await demo?.stop();
    }
  }, 120_000);
});
