/**
 * The ward worklist live over the broker, in main: a real RabbitMQ started by the demo hospital,
 * FHIR ADT (an Encounter) and a burst of FHIR results published to the ward's routing keys, the
 * composed workstation's census and worklist following them, and the signed-in doctor told of
 * each change by a few coalesced `worklist.changed` events rather than one per message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/demo-users.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';
import type { ApiEvent } from '../../src/shared/api/events.ts';
import { rabbitmqSkipReason, until } from '../support/rabbitmq.ts';

let hospital: DemoHospital;
let composed: ComposedWorkstation;
let cacheDir: string;
const logLines: string[] = [];

/** A test patient of the CDR's numbering that no seed uses. */
const PATIENT_ID = 'wl-live-test-1';
const admittedAt = new Date(Date.now() - 3_600_000).toISOString();

function encounterMessage(id: string, status: 'in-progress' | 'finished'): string {
  return JSON.stringify({
    resourceType: 'Bundle',
    id,
    type: 'message',
    entry: [
      { resource: { resourceType: 'MessageHeader', id: `${id}-h`, eventCoding: { code: status === 'finished' ? 'A03' : 'A01' } } },
      {
        resource: {
          resourceType: 'Patient',
          id: PATIENT_ID,
          name: [{ family: '测', given: ['试丙'] }],
          gender: 'female',
          birthDate: '1951-04-05',
        },
      },
      {
        resource: {
          resourceType: 'Encounter',
          id: 'wl-live-enc-1',
          status,
          class: { code: 'IMP' },
          subject: { reference: `Patient/${PATIENT_ID}` },
          location: [{ location: { reference: 'Location/ward-CARD-1', display: '心内一病区 31床' } }],
          period: { start: admittedAt, ...(status === 'finished' ? { end: new Date().toISOString() } : {}) },
          reasonCode: [{ text: '心力衰竭' }],
        },
      },
    ],
  });
}

/** Potassium 5.9 mmol/L, reported with the range 3.5–5.3 and no flag: abnormal by its range, under the 6.2 critical limit. */
function result(i: number): string {
  return JSON.stringify({
    resourceType: 'Observation',
    id: `wl-live-k-${i}`,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '2823-3', display: 'Potassium' }], text: '钾' },
    subject: { reference: `Patient/${PATIENT_ID}` },
    effectiveDateTime: new Date().toISOString(),
    issued: new Date().toISOString(),
    valueQuantity: { value: 5.9, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
    referenceRange: [{ low: { value: 3.5, unit: 'mmol/L' }, high: { value: 5.3, unit: 'mmol/L' } }],
  });
}

describe.skipIf(rabbitmqSkipReason)('the ward worklist follows the broker live', () => {
  beforeAll(async () => {
    hospital = await startDemoHospital({ broker: { intervalMs: 0 } });
    cacheDir = mkdtempSync(join(tmpdir(), 'huizhen-worklist-live-'));
    const config = parseConfig({
      ...hospital.config,
      cache: { directory: cacheDir },
      broker: { ...hospital.config.broker, fhirSourceId: 'cdr' },
    });
    composed = await composeWorkstation(config, {
      protector: () => createPassphraseKeyProtector('worklist live passphrase', { log2Cost: 12 }),
      log: (line) => logLines.push(line),
    });
  }, 240_000);
  afterAll(async () => {
    await composed?.workstation.close();
    await hospital?.stop();
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  }, 60_000);

  it('a FHIR Encounter puts the patient on the list, a burst of 200 results makes a handful of signals, the discharge shows', async () => {
    expect(hospital.notices).toEqual([]);
    const broker = composed.broker!;
    await until(() => broker.state() === 'connected', 60_000, 'the subscription');
    await composed.api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    // Bound (not only asked to bind): a message published before would find no queue.
    await until(() => logLines.some((l) => /broker: bound to .*adt\.CARD-1/.test(l)), 30_000, "the doctor's ward bound");
    const signals: Extract<ApiEvent, { type: 'worklist.changed' }>[] = [];
    composed.api.subscribe((event) => event.type === 'worklist.changed' && signals.push(event));
    const rowOf = async () =>
      (await composed.api.handlers.listWorklist({ from: 'cache' })).rows.find((r) =>
        r.refs.some((ref) => ref.sourceId === 'cdr' && ref.sourcePatientId === PATIENT_ID),
      );

    const fhir = { contentType: 'application/fhir+json' };
    await hospital.broker!.publish('adt.CARD-1', encounterMessage('wl-live-adt-1', 'in-progress'), { ...fhir, messageId: 'wl-live-adt-1' });
    await until(() => signals.some((s) => s.reasons.includes('census')), 30_000, 'the census signal').catch((error: unknown) => {
      throw new Error(`${String(error)}; log: ${logLines.slice(-20).join(' | ')}`);
    });
    expect(await rowOf()).toMatchObject({
      ward: 'CARD-1',
      bed: '31',
      name: '测试丙',
      sex: 'female',
      diagnosis: '心力衰竭',
      status: 'admitted',
      newResults: { count: 0, abnormal: 0, critical: 0 },
    });

    const before = signals.length;
    const started = performance.now();
    // All at once, as a platform flushing a backlog would.
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => hospital.broker!.publish('oru.CARD-1', result(i), { ...fhir, messageId: `wl-live-oru-${i}` })),
    );
    const publishMs = performance.now() - started;
    await until(async () => (await rowOf())?.newResults.count === 200, 120_000, 'the 200 results on the row');
    const storedMs = performance.now() - started;
    // Let the burst's last signal go out, then count.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const told = signals.length - before;
    console.log(
      `worklist live: 200 FHIR results published in ${publishMs.toFixed(0)} ms, all on the row after ${storedMs.toFixed(0)} ms, ${told} worklist.changed signals`,
    );
    expect(told).toBeGreaterThan(0);
    // At most one signal per 250 ms (plus the first): never one per message.
    expect(told).toBeLessThanOrEqual(Math.ceil(storedMs / 250) + 2);
    expect(told).toBeLessThan(50);
    expect((await rowOf())?.newResults).toEqual({ count: 200, abnormal: 200, critical: 0 });

    await hospital.broker!.publish('adt.CARD-1', encounterMessage('wl-live-adt-2', 'finished'), { ...fhir, messageId: 'wl-live-adt-2' });
    await until(async () => (await rowOf())?.status === 'discharged', 30_000, 'the discharge');
    await composed.api.handlers.signOut({});
  }, 240_000);
});
