/** The HL7 v2 adapter against the demo HIS and LIS over real MLLP sockets on 127.0.0.1. */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHl7v2Adapter } from '../../src/adapters/hl7v2/hl7v2-adapter.ts';
import { frameMllp, MllpDecoder } from '../../src/adapters/hl7v2/mllp-framing.ts';
import { SourceError } from '../../src/adapters/source-error.ts';
import { Hl7v2SourceConfigSchema } from '../../src/shared/config/sources/hl7v2.ts';
import { hisMllpSourceConfig, HIS_DEMO_MRN, startHisMllp, type DemoHisMllp } from '../../src/demo-hospital/his-mllp/his-mllp.ts';
import { lisMllpSourceConfig, LIS_DEMO_MRN, startLisMllp, type DemoLisMllp } from '../../src/demo-hospital/lis-mllp/lis-mllp.ts';
import { deriveIdentities, HIS_MRN_SYSTEM, IDENTITY_NOISE, LIS_MRN_SYSTEM } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { RESIDENT_ID_SYSTEM } from '../../src/demo-hospital/synthetic/resident-id.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';

const data = generateSyntheticHospital({ seed: 11 });
const identities = deriveIdentities(data);
let his: DemoHisMllp;
let lis: DemoLisMllp;
const signal = (): AbortSignal => new AbortController().signal;
const hisAdapter = (overrides: Record<string, unknown> = {}) =>
  createHl7v2Adapter(Hl7v2SourceConfigSchema.parse({ ...hisMllpSourceConfig(his), ...overrides }));
const lisAdapter = (overrides: Record<string, unknown> = {}) =>
  createHl7v2Adapter(Hl7v2SourceConfigSchema.parse({ ...lisMllpSourceConfig(lis), ...overrides }));

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError;
  }
  throw new Error('expected a SourceError');
}

beforeAll(async () => {
  his = await startHisMllp(data);
  lis = await startLisMllp(data);
});
afterAll(async () => {
  await Promise.all([his.stop(), lis.stop()]);
});
afterEach(() => {
  his.faults.reset();
  lis.faults.reset();
});

describe('HIS: PDQ and PIX (GB18030)', () => {
  it('listens on loopback only', () => {
    expect(his.host).toBe('127.0.0.1');
    expect(lis.host).toBe('127.0.0.1');
  });

  it.each(['张伟', 'Zhang Wei', 'wei zhang', HIS_DEMO_MRN, DEMO_PATIENT.residentId, '张伟 1968-03-12'])(
    'finds the demo patient by "%s"',
    async (text) => {
      const found = await hisAdapter().searchPatients({ text }, { signal: signal() });
      const zhang = found.find((f) => f.resource.id === HIS_DEMO_MRN);
      expect(zhang?.resource.name?.map((n) => n.text)).toEqual(['张伟', 'Zhang Wei']);
      expect(zhang?.resource.birthDate).toBe(DEMO_PATIENT.birthDate);
      expect(zhang?.provenance).toMatchObject({ sourceId: 'his', sourceKind: 'hl7v2', messageType: 'RSP^K22' });
      expect(zhang?.provenance.nativeId).toMatch(/\/PID\/1$/);
    },
  );

  it('adds PIX cross-references: LIS MRN, CDR MRN and 身份证 as strong identifier', async () => {
    const [zhang] = await hisAdapter().searchPatients({ text: HIS_DEMO_MRN }, { signal: signal() });
    const ids = zhang?.resource.identifier ?? [];
    expect(ids.find((i) => i.system === HIS_MRN_SYSTEM)?.value).toBe(HIS_DEMO_MRN);
    expect(ids.find((i) => i.system === LIS_MRN_SYSTEM)?.value).toBe(LIS_DEMO_MRN);
    expect(ids.find((i) => i.system === 'urn:huizhen:demo-hospital:cdr:mrn')?.value).toBe(DEMO_PATIENT.mrn);
    expect(ids.find((i) => i.system === RESIDENT_ID_SYSTEM)).toMatchObject({
      value: DEMO_PATIENT.residentId,
      type: { coding: [{ code: 'NNCHN' }] },
    });
    expect(his.received.map((r) => r.messageType)).toEqual(expect.arrayContaining(['QBP^Q22', 'QBP^Q23']));
  });

  it('shows identity noise: a patient registered under pinyin only is not found by 汉字', async () => {
    const noisy = identities[IDENTITY_NOISE.hisPinyinOnly]!;
    const hanzi = noisy.names.find((n) => n.representation === 'I')!;
    const pinyin = noisy.names.find((n) => n.representation === 'P')!;
    const byHanzi = await hisAdapter().searchPatients({ text: hanzi.family + hanzi.given }, { signal: signal() });
    expect(byHanzi.map((p) => p.resource.id)).not.toContain(noisy.hisMrn);
    const byPinyin = await hisAdapter().searchPatients({ text: `${pinyin.family} ${pinyin.given}` }, { signal: signal() });
    expect(byPinyin.map((p) => p.resource.id)).toContain(noisy.hisMrn);
  });

  it('returns nothing (not an error) for an unknown patient', async () => {
    expect(await hisAdapter().searchPatients({ text: 'H9999999' }, { signal: signal() })).toEqual([]);
  });

  it('fetches demographics only (a HIS offers no results)', async () => {
    const record = await hisAdapter().fetchRecord(HIS_DEMO_MRN, { signal: signal() });
    expect(record.map((r) => r.resource.resourceType)).toEqual(['Patient']);
  });

  it('probes with a PDQ for a nonexistent id', async () => {
    const probe = await hisAdapter().probe({ signal: signal() });
    expect(probe).toMatchObject({ reachable: true, protocolVersion: 'HL7 v2.5 over MLLP (HIS)' });
    expect(probe.detail).toContain('AA, QAK NF');
  });
});

describe('LIS: results query (UTF-8)', () => {
  it('returns the demo patient’s results as Observations with values, units, ranges, flags and codes', async () => {
    const record = await lisAdapter().fetchRecord(LIS_DEMO_MRN, { signal: signal() });
    const observations = record.filter((r) => r.resource.resourceType === 'Observation').map((r) => r.resource as Observation);
    const ofDemo = data.resources.filter(
      (r): r is Observation => r.resourceType === 'Observation' && r.subject?.reference === `Patient/${DEMO_PATIENT.fhirId}`,
    );
    // The nursing chart is the CDR's; of it the LIS passes on only the bedside monitor's admission readings.
    const isVital = (o: Observation) => (o.category ?? []).some((c) => c.coding?.some((x) => x.code === 'vital-signs'));
    const cdrLabs = ofDemo.filter((o) => !isVital(o));
    const admittedAt = ofDemo.find(isVital)?.effectiveDateTime;
    const bedside = ofDemo.filter(
      (o) => isVital(o) && o.effectiveDateTime === admittedAt && ['8310-5', '8867-4', '59408-5'].includes(o.code.coding?.[0]?.code ?? ''),
    );
    expect(bedside).toHaveLength(3);
    expect(observations).toHaveLength(cdrLabs.length + bedside.length);
    const glucose = observations.find((o) => o.code.coding?.[0]?.code === 'GLU');
    expect(glucose?.code.text).toBe('葡萄糖');
    expect(glucose?.code.coding?.[1]).toMatchObject({ system: 'http://loinc.org', code: '2345-7' });
    expect(glucose?.valueQuantity).toMatchObject({ unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' });
    expect(glucose?.referenceRange?.[0]).toMatchObject({ low: { value: 70 }, high: { value: 99 } });
    expect(glucose?.interpretation?.[0]?.coding?.[0]?.code).toMatch(/^[HLN]$/);
    const potassium = observations.find((o) => o.code.coding?.[0]?.code === 'K');
    expect(potassium?.code.coding).toHaveLength(1);
    expect(potassium?.code.coding?.[0]?.system).toMatch(/^urn:huizhen:hl7v2:local:LIS/);
    const wbc = observations.find((o) => o.code.coding?.[0]?.code === '6690-2');
    expect(wbc?.valueQuantity?.unit).toBe('10^9/L');
    // The same values as the CDR holds: the LIS fed it.
    const cdrValues = [...cdrLabs, ...bedside].map((o) => o.valueQuantity?.value).sort();
    expect(observations.map((o) => o.valueQuantity?.value).sort()).toEqual(cdrValues);
    const reports = record.filter((r) => r.resource.resourceType === 'DiagnosticReport');
    expect(reports.length).toBeGreaterThan(0);
    expect(record.find((r) => r.resource.resourceType === 'Patient')?.resource.id).toBe(LIS_DEMO_MRN);
    expect(record[1]?.provenance.messageType).toBe('ORF^R04');
    expect(record.every((r) => /\/(PID|OBR|OBX)\/\d+$/.test(r.provenance.nativeId))).toBe(true);
  });

  it('gives the same ids on every fetch', async () => {
    const a = await lisAdapter().fetchRecord(LIS_DEMO_MRN, { signal: signal() });
    const b = await lisAdapter().fetchRecord(LIS_DEMO_MRN, { signal: signal() });
    expect(a.map((r) => r.resource.id)).toEqual(b.map((r) => r.resource.id));
  });

  it('fetches only results changed since an instant', async () => {
    const all = await lisAdapter().fetchRecord(LIS_DEMO_MRN, { signal: signal() });
    const recent = await lisAdapter().fetchRecord(LIS_DEMO_MRN, { signal: signal(), since: '2024-01-01T00:00:00Z' });
    expect(recent.length).toBeLessThan(all.length);
  });

  it('shows identity noise at the LIS: missing birth date, missing 身份证', async () => {
    const noBirth = identities[IDENTITY_NOISE.lisNoBirthDate]!;
    const noId = identities[IDENTITY_NOISE.lisNoResidentId]!;
    const [a] = await lisAdapter().searchPatients({ text: noBirth.lisMrn }, { signal: signal() });
    expect((a?.resource as Patient).birthDate).toBeUndefined();
    const [b] = await lisAdapter().searchPatients({ text: noId.lisMrn }, { signal: signal() });
    expect(b?.resource.identifier?.some((i) => i.system === RESIDENT_ID_SYSTEM)).toBe(false);
  });

  it('answers an unknown patient with no data', async () => {
    expect(await lisAdapter().fetchRecord('L000000000', { signal: signal() })).toEqual([]);
  });

  it('rejects an id that cannot be an HL7 identifier before sending', async () => {
    expect((await failure(lisAdapter().fetchRecord('A|B', { signal: signal() }))).code).toBe('bad-request');
  });
});

describe('faults', () => {
  it.each([
    ['AR', 'server-error'],
    ['AE', 'bad-request'],
  ] as const)('a NAK %s becomes a typed SourceError (%s) carrying the ERR text', async (nakCode, code) => {
    lis.faults.set({ errorRate: 1, nakCode });
    const error = await failure(lisAdapter().fetchRecord(LIS_DEMO_MRN, { signal: signal() }));
    expect(error.code).toBe(code);
    expect(error.message).toContain(nakCode);
    expect(error.message).toContain('simulated');
  });

  it('times out on a hanging listener, then works again once it answers', async () => {
    his.faults.set({ hang: true });
    const adapter = hisAdapter({ resilience: { timeoutMs: 300, retries: 0, slowMs: 100 } });
    const error = await failure(adapter.searchPatients({ text: HIS_DEMO_MRN }, { signal: signal() }));
    expect(error.code).toBe('timeout');
    his.faults.reset();
    expect((await adapter.searchPatients({ text: HIS_DEMO_MRN }, { signal: signal() })).length).toBe(1);
  });

  it('reconnects on the next request after the peer drops the connection', async () => {
    const adapter = lisAdapter();
    await adapter.fetchRecord(LIS_DEMO_MRN, { signal: signal() });
    const before = lis.connectionCount;
    lis.faults.set({ drop: true });
    expect((await failure(adapter.fetchRecord(LIS_DEMO_MRN, { signal: signal() }))).code).toBe('unreachable');
    lis.faults.reset();
    expect((await adapter.fetchRecord(LIS_DEMO_MRN, { signal: signal() })).length).toBeGreaterThan(0);
    expect(lis.connectionCount).toBe(before + 1);
  });

  it('cancels a pending request on abort', async () => {
    his.faults.set({ hang: true });
    const controller = new AbortController();
    const pending = hisAdapter().searchPatients({ text: HIS_DEMO_MRN }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).code).toBe('aborted');
  });

  it('reports an unreachable port', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const adapter = lisAdapter({ port });
    expect((await failure(adapter.fetchRecord(LIS_DEMO_MRN, { signal: signal() }))).code).toBe('unreachable');
    expect(await adapter.probe({ signal: signal() })).toMatchObject({ reachable: false });
  });
});

describe('MLLP client framing over a real socket', () => {
  let server: Server;
  let port: number;
  const open = new Set<Socket>();
  beforeAll(async () => {
    // A peer that answers byte by byte, with junk before the frame and two answers merged into one write.
    server = createServer((socket: Socket) => {
      open.add(socket);
      const decoder = new MllpDecoder();
      socket.on('data', async (chunk: Buffer) => {
        for (const frame of decoder.push(chunk)) {
          const text = new TextDecoder().decode(frame);
          const id = /\rQRD\|[^|]*\|[^|]*\|[^|]*\|Q([^|]+)/.exec(text)?.[1] ?? '';
          const answer = frameMllp(
            new TextEncoder().encode(`MSH|^~\\&|LIS|H|||20250101||ORF^R04|A${id}|P|2.4|||||UNICODE UTF-8\rMSA|AA|${id}\rQAK|Q${id}|NF\r`),
          );
          const bytes = new Uint8Array([0x0d, 0x0a, ...answer]);
          for (const b of bytes) {
            socket.write(new Uint8Array([b]));
            await new Promise((r) => setImmediate(r));
          }
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of open) socket.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('matches answers split across reads to their requests, several in flight', async () => {
    const adapter = lisAdapter({ port });
    const results = await Promise.all([1, 2, 3].map((n) => adapter.fetchRecord(`L${n}`, { signal: signal() })));
    expect(results).toEqual([[], [], []]);
  });
});
