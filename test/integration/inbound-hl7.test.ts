import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Observation, Patient } from '@medplum/fhirtypes';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheStore } from '../../src/main/services/cache/index.ts';
import { InboundHl7ConfigSchema } from '../../src/shared/config/inbound-hl7.ts';
import { tempCacheDir } from '../support/cache-fixtures.ts';
import { frameMllp, MllpDecoder } from '../../src/adapters/hl7v2/mllp-framing.ts';
import {
  adtA08,
  adtA40,
  decode,
  encode,
  field,
  openTestStore,
  oruR01,
  RawMllpSender,
  startInbound,
  type RunningInbound,
} from '../support/inbound-hl7-harness.ts';

const KEY = 'lis/L202500001';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(
  overrides: Record<string, unknown> = {},
  maxPageCount?: number,
): Promise<{ dir: string; store: CacheStore; inbound: RunningInbound; sender: RawMllpSender }> {
  const { dir, cleanup } = tempCacheDir('inbound');
  cleanups.push(cleanup);
  const store = await openTestStore(dir, maxPageCount);
  cleanups.push(() => store.close());
  const inbound = await startInbound(store, overrides);
  cleanups.push(() => inbound.listener.close());
  const sender = await RawMllpSender.connect(inbound.listener.port);
  cleanups.push(() => sender.close());
  return { dir, store, inbound, sender };
}

/** The records as a freshly opened store (another connection to the files) reads them. */
async function durableRecords(dir: string, key = KEY) {
  const fresh = await openTestStore(dir);
  try {
    return await fresh.getRecords(key);
  } finally {
    fresh.close();
  }
}

const byType = <T>(records: { resource: { resourceType: string } }[], type: string): T[] =>
  records.filter((r) => r.resource.resourceType === type).map((r) => r.resource as T);

describe('inbound HL7 listener: pushes stored durably, then acknowledged', () => {
  it('ORU^R01: AA only once the records decrypt from a freshly reopened store; workstation told', async () => {
    const { dir, inbound, sender } = await setup();
    const ack = await sender.exchange(oruR01({ controlId: 'ORU0001' }));
    // Read before anything else can run: the commit must already be on disk.
    const { records, failures } = await durableRecords(dir);
    expect(field(ack, 'MSA', 1)).toBe('AA');
    expect(field(ack, 'MSA', 2)).toBe('ORU0001');
    expect(field(ack, 'MSH', 9)).toBe('ACK^R01^ACK');
    expect(field(ack, 'MSH', 5)).toBe('LIS');
    expect(failures).toEqual([]);
    expect(byType<Patient>(records, 'Patient')[0]?.id).toBe('L202500001');
    expect(
      byType<Observation>(records, 'Observation')
        .map((o) => o.valueQuantity?.value)
        .sort(),
    ).toEqual([4.2, 6.1]);
    expect(byType(records, 'DiagnosticReport')).toHaveLength(1);
    for (const r of records) {
      expect(r.provenance).toMatchObject({ sourceId: 'lis', sourceName: '检验科 LIS', sourceKind: 'hl7v2', messageType: 'ORU^R01 (push)' });
    }
    expect(inbound.updated).toEqual([{ sourceId: 'lis', sourcePatientId: 'L202500001' }]);
  });

  it('ADT^A08 updates the patient and merges with what is cached (pulled records kept)', async () => {
    const { store, sender } = await setup();
    // What a pull from the LIS left in the cache: a record the push does not carry.
    await store.putRecords(
      KEY,
      'lis',
      [
        {
          resource: { resourceType: 'Observation', id: 'obs-pulled', status: 'final', code: { text: 'HbA1c' } },
          provenance: {
            sourceId: 'lis',
            sourceName: 'LIS',
            sourceKind: 'hl7v2',
            nativeId: 'Q1/OBX/1',
            messageType: 'ORF^R04',
            fetchedAt: '2025-03-01T00:00:00Z',
          },
        },
      ],
      { replace: true },
    );
    expect(field(await sender.exchange(oruR01({ controlId: 'ORU0002' })), 'MSA', 1)).toBe('AA');
    expect(field(await sender.exchange(adtA08({ controlId: 'A080001', phone: '13912345678' })), 'MSA', 1)).toBe('AA');
    const { records } = await store.getRecords(KEY);
    const patients = byType<Patient>(records, 'Patient');
    expect(patients).toHaveLength(1);
    expect(patients[0]!.telecom?.some((t) => t.value === '13912345678')).toBe(true);
    expect(patients[0]!.address?.[0]?.city).toBe('北京');
    expect(byType<Observation>(records, 'Observation').map((o) => o.id)).toContain('obs-pulled');
    expect(byType(records, 'Observation')).toHaveLength(3);
    expect(byType(records, 'Encounter').length).toBeGreaterThanOrEqual(1);
    expect(records.find((r) => r.resource.resourceType === 'Patient')?.provenance.messageType).toBe('ADT^A08 (push)');
  });

  it('ADT^A40: the merge is kept as Patient.link in both directions', async () => {
    const { store, sender, inbound } = await setup();
    expect(field(await sender.exchange(adtA40({ controlId: 'A400001', priorMrn: 'L201900777' })), 'MSA', 1)).toBe('AA');
    const patients = byType<Patient>((await store.getRecords(KEY)).records, 'Patient');
    const surviving = patients.find((p) => p.id === 'L202500001')!;
    const prior = patients.find((p) => p.id !== 'L202500001')!;
    expect(surviving.link).toEqual([{ other: { reference: `Patient/${prior.id}` }, type: 'replaces' }]);
    expect(prior).toMatchObject({ active: false, link: [{ other: { reference: 'Patient/L202500001' }, type: 'replaced-by' }] });
    expect(prior.identifier?.[0]?.value).toBe('L201900777');
    expect(inbound.updated).toEqual([{ sourceId: 'lis', sourcePatientId: 'L202500001' }]);
  });

  it('a retransmission (same MSH-10 and sender) is acknowledged AA again and not stored twice, also after a restart', async () => {
    const { dir, store, inbound, sender } = await setup();
    const first = await sender.exchange(oruR01({ controlId: 'DUP0001', glucose: '6.1' }));
    // Same control id, changed content: were it stored, the glucose would read 9.9.
    const second = await sender.exchange(oruR01({ controlId: 'DUP0001', glucose: '9.9' }));
    expect([field(first, 'MSA', 1), field(second, 'MSA', 1)]).toEqual(['AA', 'AA']);
    expect(field(second, 'MSA', 2)).toBe('DUP0001');
    expect(inbound.outcomes.map((o) => o.kind)).toEqual(['stored', 'duplicate']);
    expect(inbound.updated).toHaveLength(1);
    const glucose = () =>
      store.getRecords(KEY).then(({ records }) =>
        byType<Observation>(records, 'Observation')
          .map((o) => o.valueQuantity?.value)
          .sort(),
      );
    expect(await glucose()).toEqual([4.2, 6.1]);
    const countBefore = (await store.getRecords(KEY)).records.length;

    // The same control id from another sending facility is another message.
    expect(field(await sender.exchange(oruR01({ controlId: 'DUP0001', sendingFacility: 'BRANCH', mrn: 'L202500002' })), 'MSA', 1)).toBe(
      'AA',
    );
    expect(inbound.outcomes.at(-1)?.kind).toBe('stored');

    // Restart: listener and store closed and reopened on the same files.
    sender.close();
    await inbound.listener.close();
    store.close();
    const reopened = await openTestStore(dir);
    cleanups.push(() => reopened.close());
    const again = await startInbound(reopened);
    cleanups.push(() => again.listener.close());
    const sender2 = await RawMllpSender.connect(again.listener.port);
    cleanups.push(() => sender2.close());
    const third = await sender2.exchange(oruR01({ controlId: 'DUP0001', glucose: '9.9' }));
    expect(field(third, 'MSA', 1)).toBe('AA');
    expect(again.outcomes.map((o) => o.kind)).toEqual(['duplicate']);
    const { records } = await reopened.getRecords(KEY);
    expect(records).toHaveLength(countBefore);
    expect(
      byType<Observation>(records, 'Observation')
        .map((o) => o.valueQuantity?.value)
        .sort(),
    ).toEqual([4.2, 6.1]);
  });

  it('GB18030 (MSH-18 "GB 18030-2000"): names read right, the ACK comes back in GB18030', async () => {
    const { store, sender } = await setup();
    const text = oruR01({ controlId: 'GB0001', charsetLabel: 'GB 18030-2000', name: '欧阳^娜娜' });
    const ack = await sender.exchange(text, 'gb18030');
    expect(field(ack, 'MSA', 1)).toBe('AA');
    expect(field(ack, 'MSH', 18)).toBe('GB 18030-2000');
    const patient = byType<Patient>((await store.getRecords(KEY)).records, 'Patient')[0]!;
    expect(patient.name?.[0]).toMatchObject({ family: '欧阳', given: ['娜娜'] });
    const code = byType<Observation>((await store.getRecords(KEY)).records, 'Observation').map((o) => o.code.coding?.[0]?.display);
    expect(code).toContain('葡萄糖');
  });

  it('GBK bytes without MSH-18 are read with the configured fallback charset', async () => {
    const { store, sender } = await setup({ fallbackCharset: 'gbk' });
    const ack = await sender.exchange(oruR01({ controlId: 'GBK0001', charsetLabel: '', name: '司马^光' }), 'gbk');
    expect(field(ack, 'MSA', 1)).toBe('AA');
    expect(byType<Patient>((await store.getRecords(KEY)).records, 'Patient')[0]?.name?.[0]?.family).toBe('司马');
  });

  it('frames split byte by byte, with stray bytes between them, are read whole and ACKed in order', async () => {
    const { store, sender } = await setup();
    const noise = new Uint8Array([0x0a, 0x0d, 0x00, 0x20]);
    const one = frameMllp(encode(oruR01({ controlId: 'SPLIT01' })));
    const two = frameMllp(encode(adtA08({ controlId: 'SPLIT02' })));
    const stream = new Uint8Array([...noise, ...one, ...noise, ...two]);
    await sender.writeByteByByte(stream);
    const acks = [decode(await sender.nextFrame()), decode(await sender.nextFrame())];
    expect(acks.map((a) => [field(a, 'MSA', 1), field(a, 'MSA', 2)])).toEqual([
      ['AA', 'SPLIT01'],
      ['AA', 'SPLIT02'],
    ]);
    expect((await store.getRecords(KEY)).records.length).toBeGreaterThan(3);
  });

  it('enhanced mode: CA when MSH-15 is AL; no ACK at all when MSH-15 asks for errors only and it stored fine', async () => {
    const { sender } = await setup();
    await sender.write(frameMllp(encode(oruR01({ controlId: 'ENH-ER', acceptAck: 'ER', applicationAck: 'NE' }))));
    const ack = await sender.exchange(oruR01({ controlId: 'ENH-AL', acceptAck: 'AL', applicationAck: 'NE', mrn: 'L202500003' }));
    // The first frame back answers the second message: the ER message got none.
    expect([field(ack, 'MSA', 1), field(ack, 'MSA', 2)]).toEqual(['CA', 'ENH-AL']);
    const refused = await sender.exchange(oruR01({ controlId: 'ENH-BAD', acceptAck: 'AL', mrn: '' }));
    expect(field(refused, 'MSA', 1)).toBe('CE');
  });
});

describe('inbound HL7 listener: refusals store nothing and say where the message is wrong', () => {
  it('a malformed segment: AR, ERR naming segment and field, nothing stored', async () => {
    const { store, sender, inbound } = await setup();
    const broken = oruR01({ controlId: 'BAD0001' }).replace('OBX|2|', 'OB X|2|');
    const ack = await sender.exchange(broken);
    expect(field(ack, 'MSA', 1)).toBe('AR');
    expect(field(ack, 'MSA', 2)).toBe('BAD0001');
    expect(field(ack, 'ERR', 3)).toMatch(/^100\^/);
    expect(field(ack, 'ERR', 8)).toMatch(/segment 7/);
    expect(await store.hasPatient(KEY)).toBe(false);
    expect(inbound.updated).toEqual([]);
  });

  it('bad encoding characters in MSH-2: AR naming MSH-2', async () => {
    const { store, sender } = await setup();
    const ack = await sender.exchange(oruR01({ controlId: 'BAD0002' }).replace('MSH|^~\\&|', 'MSH|^^\\&|'));
    expect(field(ack, 'MSA', 1)).toBe('AR');
    expect(field(ack, 'MSA', 2)).toBe('BAD0002');
    expect(field(ack, 'ERR', 2)).toBe('MSH^1^2');
    expect(await store.hasPatient(KEY)).toBe(false);
  });

  it('PID-3 without the configured authority: AE, ERR PID^1^3, nothing stored', async () => {
    const { store, sender } = await setup();
    const ack = await sender.exchange(oruR01({ controlId: 'BAD0003' }).replace(/\^\^\^LIS\^MR/, '^^^HIS^MR'));
    expect(field(ack, 'MSA', 1)).toBe('AE');
    expect(field(ack, 'ERR', 2)).toBe('PID^1^3');
    expect(field(ack, 'ERR', 3)).toMatch(/^101\^/);
    expect(await store.listPatients()).toEqual([]);
  });

  it('an unknown MSH-18 charset, a missing MSH-10, an unsupported event, bytes with no MSH: AR each', async () => {
    const { store, sender } = await setup();
    const charset = await sender.exchange(oruR01({ controlId: 'BAD0004', charsetLabel: 'KLINGON-8' }));
    expect([field(charset, 'MSA', 1), field(charset, 'MSA', 2), field(charset, 'ERR', 2)]).toEqual(['AR', 'BAD0004', 'MSH^^18']);
    const noId = await sender.exchange(oruR01({ controlId: '' }));
    expect([field(noId, 'MSA', 1), field(noId, 'ERR', 2)]).toEqual(['AR', 'MSH^1^10']);
    const a31 = await sender.exchange(adtA08({ controlId: 'BAD0005' }).replace('ADT^A08^ADT_A01', 'ADT^A31^ADT_A05'));
    expect([field(a31, 'MSA', 1), field(a31, 'ERR', 3).split('^')[0]]).toEqual(['AR', '201']);
    const garbage = await sender.exchange('hello, this is not HL7\r');
    expect([field(garbage, 'MSA', 1), field(garbage, 'MSA', 2)]).toEqual(['AR', '']);
    expect(await store.listPatients()).toEqual([]);
  });

  it('a sender not in allowedSenders is refused (AR, ERR MSH^1^3), an allowed one stored', async () => {
    const { store, sender } = await setup({ allowedSenders: [{ application: 'LIS', facility: 'HOSP' }] });
    const refused = await sender.exchange(oruR01({ controlId: 'INTRUDER1', sendingApplication: 'ROGUE' }));
    expect([field(refused, 'MSA', 1), field(refused, 'ERR', 2)]).toEqual(['AR', 'MSH^1^3']);
    const otherFacility = await sender.exchange(oruR01({ controlId: 'INTRUDER2', sendingFacility: 'ELSEWHERE' }));
    expect(field(otherFacility, 'MSA', 1)).toBe('AR');
    expect(await store.hasPatient(KEY)).toBe(false);
    expect(field(await sender.exchange(oruR01({ controlId: 'OK0001' })), 'MSA', 1)).toBe('AA');
    expect(await store.hasPatient(KEY)).toBe(true);
  });

  it('a full disk: AE with the reason, nothing acknowledged or remembered (the retransmission is stored once space is back)', async () => {
    const { dir, store, inbound, sender } = await setup({}, 60);
    // Fill the database's page budget with another patient's records until it refuses.
    let full = false;
    for (let i = 0; i < 500 && !full; i++) {
      try {
        await store.putRecords('lis/FILLER', 'lis', [
          {
            resource: { resourceType: 'Observation', id: `fill-${i}`, status: 'final', code: { text: 'padding '.repeat(200) } },
            provenance: {
              sourceId: 'lis',
              sourceName: 'LIS',
              sourceKind: 'hl7v2',
              nativeId: `fill-${i}`,
              fetchedAt: '2025-03-01T00:00:00Z',
            },
          },
        ]);
      } catch {
        full = true;
      }
    }
    expect(full).toBe(true);
    const ack = await sender.exchange(oruR01({ controlId: 'FULL0001' }));
    expect(field(ack, 'MSA', 1)).toBe('AE');
    expect(field(ack, 'ERR', 3)).toMatch(/^207\^/);
    expect(field(ack, 'MSA', 3)).toMatch(/disk-full/);
    expect(await store.hasPatient(KEY)).toBe(false);
    expect(inbound.updated).toEqual([]);

    sender.close();
    await inbound.listener.close();
    store.close();
    const roomy = await openTestStore(dir);
    cleanups.push(() => roomy.close());
    const again = await startInbound(roomy);
    cleanups.push(() => again.listener.close());
    const sender2 = await RawMllpSender.connect(again.listener.port);
    cleanups.push(() => sender2.close());
    expect(field(await sender2.exchange(oruR01({ controlId: 'FULL0001' })), 'MSA', 1)).toBe('AA');
    expect(again.outcomes.map((o) => o.kind)).toEqual(['stored']);
  });
});

describe('inbound HL7 listener: network exposure', () => {
  it('binds 127.0.0.1 by default and is not reachable on other addresses of this machine', async () => {
    expect(InboundHl7ConfigSchema.parse({ sourceId: 'lis' }).host).toBe('127.0.0.1');
    const { inbound } = await setup();
    expect(inbound.listener.host).toBe('127.0.0.1');
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!external) return;
    // Nothing else may hold that port on the external address, or the check proves nothing.
    const probe = createServer();
    const free = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(false));
      probe.listen(inbound.listener.port, external, () => probe.close(() => resolve(true)));
    });
    expect(free).toBe(true);
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const socket = connect({ host: external, port: inbound.listener.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.once('error', (e) => resolve(e));
    });
    expect(error?.code).toBe('ECONNREFUSED');
  });
});

const MLLP_SEND = '/usr/bin/mllp_send';

describe.skipIf(!existsSync(MLLP_SEND))("an independent sender: Debian python3-hl7's mllp_send", () => {
  it('pushes an ORU and its retransmission: two AAs, one record set', async () => {
    const { dir, store, inbound } = await setup();
    const file = join(dir, 'push.hl7');
    // mllp_send reads messages separated by FS (0x1c) and frames each itself.
    const message = oruR01({ controlId: 'PY0001' });
    writeFileSync(file, `${message}\x1c\r${message}\x1c\r`);
    const stdout = await new Promise<Buffer>((resolve, reject) =>
      execFile(
        MLLP_SEND,
        ['--port', String(inbound.listener.port), '--file', file, '127.0.0.1'],
        { encoding: 'buffer', timeout: 20_000 },
        (error, out) => (error ? reject(error) : resolve(out)),
      ),
    );
    const acks = new MllpDecoder().push(stdout).map((f) => decode(f));
    expect(acks.map((a) => [field(a, 'MSA', 1), field(a, 'MSA', 2)])).toEqual([
      ['AA', 'PY0001'],
      ['AA', 'PY0001'],
    ]);
    expect(inbound.outcomes.map((o) => o.kind)).toEqual(['stored', 'duplicate']);
    expect(byType((await store.getRecords(KEY)).records, 'Observation')).toHaveLength(2);
  });
});
