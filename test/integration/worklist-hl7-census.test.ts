import { mkdtempSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { hisPatients } from '../../src/demo-hospital/his-mllp/his-patients.ts';
import { hisInpatients, type HisInpatient } from '../../src/demo-hospital/his-mllp/his-census.ts';
import { WARD_CENSUS_WARDS } from '../../src/demo-hospital/synthetic/ward-census.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';
import { createHl7v2Adapter, frameMllp, MllpDecoder } from '../../src/adapters/hl7v2/index.ts';
import { SourceError } from '../../src/adapters/source-error.ts';
import { hl7CensusQuery } from '../../src/main/services/worklist/index.ts';
import { Hl7v2SourceConfigSchema } from '../../src/shared/config/sources/hl7v2.ts';
import { field, RawMllpSender } from '../support/inbound-hl7-harness.ts';
import { freePort } from '../support/free-port.ts';

/**
 * The ward census from the HIS over real MLLP on 127.0.0.1: asked by IHE ITI-22 (QBP^ZV1 →
 * RSP^ZV2) of the demo HIS, and pushed as ADT into the workstation's inbound listener, both
 * under the HIS's own MRNs, read through the secured API as the demo ward doctor (CARD-1, D1001).
 */
let hospital: DemoHospital;
let composed: ComposedWorkstation;
let inboundPort = 0;
let inpatients: HisInpatient[] = [];
const cardiology = WARD_CENSUS_WARDS.find((w) => w.code === 'CARD-1')!.occupied;

let control = 0;
function adt(trigger: string, p: { mrn: string; name: string; ward: string; room: string; bed: string }): string {
  control += 1;
  const pv1 = ['PV1', '1', 'I', `${p.ward}^${p.room}^${p.bed}`, ...Array.from({ length: 41 }, () => '')];
  return [
    `MSH|^~\\&|HIS|DEMO-HOSPITAL|HUIZHEN|WARD|20261207080000+0800||ADT^${trigger}^ADT_A01|CENSUS-${control}|P|2.5|||||CHN|UNICODE UTF-8`,
    `EVN|${trigger}|20261207080000+0800`,
    `PID|1||${p.mrn}^^^HIS^MR||${p.name}||19600101|F`,
    pv1.join('|'),
  ].join('\r');
}

async function push(...messages: string[]): Promise<void> {
  const sender = await RawMllpSender.connect(inboundPort);
  try {
    for (const message of messages) expect(field(await sender.exchange(message), 'MSA', 1)).toBe('AA');
  } finally {
    sender.close();
  }
}

beforeAll(async () => {
  hospital = await startDemoHospital({ wardCensus: true, censusConfig: { his: true } });
  inpatients = hisInpatients(hospital.data, hisPatients(hospital.data));
  inboundPort = await freePort();
  // The HIS alone (no CDR): every stay on the list comes from HL7 v2.
  const sources = (hospital.config.sources ?? []).flatMap((s) =>
    s.kind === 'hl7v2' && s.id === 'his' ? [{ ...s, resilience: { timeoutMs: 1500 } }] : [],
  );
  const config = parseConfig({
    ...hospital.config,
    sources,
    cache: { directory: mkdtempSync(join(tmpdir(), 'huizhen-worklist-hl7-')) },
    inboundHl7: { enabled: true, port: inboundPort, sourceId: 'his', patientIdAuthority: 'HIS' },
  });
  composed = await composeWorkstation(config, {
    protector: () => createPassphraseKeyProtector('worklist hl7 census passphrase', { log2Cost: 12 }),
  });
}, 120_000);
afterAll(async () => {
  await composed?.workstation.close();
  await hospital?.stop();
});

describe('the ward census from the HIS: IHE ITI-22 census query and ADT pushes over MLLP', () => {
  it("asks the HIS by ward and by attending (QBP^ZV1): the doctor's ward and their patients elsewhere, under the HIS's MRNs", async () => {
    const api = composed.api;
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const asked = hospital.his.received.length;
    const live = await api.handlers.listWorklist({ from: 'systems' });
    expect(live.censusFailures).toBeUndefined();
    expect(hospital.his.received.slice(asked).filter((m) => m.messageType.startsWith('QBP^ZV1'))).toHaveLength(2);
    const onWard = live.rows.filter((r) => r.ward === 'CARD-1');
    const elsewhere = live.rows.filter((r) => r.ward !== 'CARD-1');
    expect(onWard).toHaveLength(cardiology);
    const attended = inpatients.filter((p) => p.ward !== 'CARD-1' && p.attending?.id === 'D1001');
    expect(elsewhere.map((r) => r.openQuery).sort()).toEqual(attended.map((p) => p.patient.identity.hisMrn).sort());
    expect(elsewhere.every((r) => r.mine && r.basis === 'treating')).toBe(true);
    const first = inpatients.find((p) => p.ward === 'CARD-1' && p.bed === '01')!;
    expect(live.rows[0]).toMatchObject({
      refs: [{ sourceId: 'his', sourcePatientId: first.patient.identity.hisMrn }],
      ward: 'CARD-1',
      room: first.room,
      bed: '01',
      attending: first.attending?.display,
      diagnosis: first.reason?.display,
      status: 'admitted',
    });
    for (const row of live.rows) {
      expect(row.refs[0]!.sourcePatientId).toMatch(/^H\d{7}$/);
      expect(row.admissionDay).toBeGreaterThanOrEqual(1);
    }
    await api.handlers.signOut({});
  });

  it('an ADT push and the census answer update the same stay; a patient the HIS no longer lists has left', async () => {
    const api = composed.api;
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const moved = inpatients.find((p) => p.ward === 'CARD-1' && p.bed === '04')!;
    const mrn = moved.patient.identity.hisMrn;
    const stranger = { mrn: 'W7001', name: '测试^七', ward: 'CARD-1', room: '20', bed: '60' };
    await push(adt('A02', { mrn, name: '测试^八', ward: 'CARD-1', room: '30', bed: '90' }), adt('A01', stranger));
    const pushed = await api.handlers.listWorklist({ from: 'cache' });
    const movedRows = pushed.rows.filter((r) => r.openQuery === mrn);
    expect(movedRows).toHaveLength(1);
    expect(movedRows[0]).toMatchObject({ bed: '90', room: '30' });
    expect(pushed.rows.find((r) => r.openQuery === stranger.mrn)).toMatchObject({ status: 'admitted', bed: '60' });
    // The HIS's census is the later word: back in bed 04, and the patient it does not list is discharged.
    const live = await api.handlers.listWorklist({ from: 'systems' });
    expect(live.rows.filter((r) => r.openQuery === mrn)).toEqual([expect.objectContaining({ bed: '04', room: moved.room })]);
    expect(live.rows.find((r) => r.openQuery === stranger.mrn)).toMatchObject({ status: 'discharged' });
    await api.handlers.signOut({});
  });

  it('a HIS that answers AE or AR, or not at all, gives a typed failure and leaves the ward as it was', async () => {
    const api = composed.api;
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const before = await api.handlers.listWorklist({ from: 'cache' });
    const admitted = before.rows.filter((r) => r.status === 'admitted').map((r) => r.key);
    expect(admitted.length).toBeGreaterThan(cardiology);
    const cases = [
      { faults: { errorRate: 1, nakCode: 'AE' as const }, code: 'bad-request' },
      { faults: { errorRate: 1, nakCode: 'AR' as const }, code: 'server-error' },
      { faults: { hang: true }, code: 'timeout' },
    ];
    try {
      for (const { faults, code } of cases) {
        hospital.his.faults.set(faults);
        const live = await api.handlers.listWorklist({ from: 'systems' });
        hospital.his.faults.reset();
        // The HIS answered the earlier listings: the kept census says since when.
        expect(live.censusFailures).toEqual([{ sourceId: 'his', code, lastAnsweredAt: expect.any(String) }]);
        expect(live.rows.filter((r) => r.status === 'admitted').map((r) => r.key)).toEqual(admitted);
      }
    } finally {
      hospital.his.faults.reset();
    }
    await api.handlers.signOut({});
  }, 60_000);
});

/** A HIS on 127.0.0.1 that answers every census query with the same (bad) text. */
async function startFakeHis(answer: (request: string) => string): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    const decoder = new MllpDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) socket.write(frameMllp(Buffer.from(answer(Buffer.from(frame).toString('utf8')), 'utf8')));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as { port: number }).port,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a malformed census answer', () => {
  const controlIdOf = (request: string) => request.split('\r')[0]!.split('|')[9]!;
  const header = (request: string) =>
    `MSH|^~\\&|HIS|DEMO|HUIZHEN|HUIZHEN|20261207080000||RSP^ZV2^RSP_ZV2|R1|P|2.5|||||CHN|UNICODE UTF-8\rMSA|AA|${controlIdOf(request)}`;
  const answers = {
    'a PID without its PV1': (request: string) =>
      `${header(request)}\rQAK|Q1|OK|IHE PDQ Query|1|1|0\rQPD|IHE PDQ Query|Q1\rPID|1||H1^^^HIS^MR||测试^九`,
    'no MSA': () => 'MSH|^~\\&|HIS|DEMO|HUIZHEN|HUIZHEN|20261207080000||RSP^ZV2^RSP_ZV2|R1|P|2.5\rQAK|Q1|OK',
    'not HL7 at all': () => 'HTTP/1.1 400 Bad Request',
  };
  for (const [what, answer] of Object.entries(answers)) {
    it(`${what}: the adapter fails with a protocol error and the census query reports it, with no events`, async () => {
      const fake = await startFakeHis(answer);
      try {
        const config = Hl7v2SourceConfigSchema.parse({
          id: 'his',
          name: 'Fake HIS',
          kind: 'hl7v2',
          host: '127.0.0.1',
          port: fake.port,
          receivingApplication: 'HIS',
          services: ['census'],
          resilience: { timeoutMs: 2000 },
        });
        const adapter = createHl7v2Adapter(config);
        const error = await adapter.fetchCensus({ wards: ['CARD-1'] }, { signal: new AbortController().signal }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SourceError);
        expect((error as SourceError).code).toBe('protocol');
        const answered = await hl7CensusQuery([{ id: 'his', adapter }])({ wards: ['CARD-1'] }, new AbortController().signal);
        expect(answered.events).toEqual([]);
        expect(answered.answeredBy).toEqual([]);
        expect(answered.failures).toEqual([expect.objectContaining({ sourceId: 'his', code: 'protocol' })]);
      } finally {
        await fake.stop();
      }
    });
  }
});
