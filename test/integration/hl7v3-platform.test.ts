import type { DocumentReference, Patient } from '@medplum/fhirtypes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHl7v3Adapter } from '../../src/adapters/hl7v3/index.ts';
import type { SourceAdapter } from '../../src/adapters/source-adapter.ts';
import { SourceError } from '../../src/adapters/source-error.ts';
import {
  DEMO_PLATFORM_PATIENT,
  platformSourceConfig,
  startPlatformSoap,
  type PlatformSoap,
} from '../../src/demo-hospital/platform-soap/index.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { Hl7v3SourceConfigSchema } from '../../src/shared/config/sources/hl7v3.ts';

let platform: PlatformSoap;
const signal = (): AbortSignal => AbortSignal.timeout(15_000);

function adapterFor(version: '1.1' | '1.2', timeoutMs = 10_000): SourceAdapter {
  return createHl7v3Adapter(
    Hl7v3SourceConfigSchema.parse({ ...platformSourceConfig(platform.url, version), resilience: { timeoutMs, retries: 0, slowMs: 2000 } }),
  );
}

async function errorOf(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('expected a SourceError');
}

beforeAll(async () => {
  platform = await startPlatformSoap(generateSyntheticHospital());
});
afterAll(() => platform.stop());
afterEach(() => platform.faults.reset());

describe.each(['1.2', '1.1'] as const)('HL7 v3 adapter ↔ demo platform over SOAP %s', (version) => {
  it('finds 张伟 by name with the platform EMPI id and the 身份证', async () => {
    const found = await adapterFor(version).searchPatients({ text: '张伟' }, { signal: signal() });
    expect(found).toHaveLength(1);
    const p = found[0]!;
    expect(p.resource.id).toBe(DEMO_PLATFORM_PATIENT.extension);
    expect(p.resource.identifier).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ system: `urn:oid:${DEMO_PLATFORM_PATIENT.root}`, value: DEMO_PLATFORM_PATIENT.extension }),
        // Same system and type as the CDR's 身份证, so the identity service links the two.
        expect.objectContaining({
          system: DEMO_PATIENT.residentIdSystem,
          value: DEMO_PATIENT.residentId,
          type: expect.objectContaining({ coding: [expect.objectContaining({ code: 'NNCHN' })] }),
        }),
      ]),
    );
    expect(p.resource).toMatchObject({
      gender: 'male',
      birthDate: '1968-03-12',
      telecom: [{ system: 'phone', value: '13811112222', use: 'mobile' }],
    });
    expect(p.resource.name?.map((n) => n.text)).toEqual(['张伟', 'Wei Zhang']);
    expect(p.provenance).toMatchObject({
      sourceKind: 'hl7v3',
      messageType: 'PRPA_IN201306UV02',
      nativeId: `${DEMO_PLATFORM_PATIENT.root}^${DEMO_PLATFORM_PATIENT.extension}`,
    });
    const request = platform.requests.at(-1)!;
    expect(request.version).toBe(version);
    expect(request.httpAction).toBe('urn:hl7-org:v3:PRPA_IN201305UV02');
    expect(request.wsaAction).toBe('urn:hl7-org:v3:PRPA_IN201305UV02');
    expect(request.contentType).toMatch(version === '1.2' ? /^application\/soap\+xml/ : /^text\/xml/);
  });

  it('finds by 身份证, by pinyin in either order, and by birth date + sex', async () => {
    const adapter = adapterFor(version);
    const byResident = await adapter.searchPatients({ text: DEMO_PATIENT.residentId }, { signal: signal() });
    expect(byResident.map((p) => p.resource.id)).toEqual([DEMO_PLATFORM_PATIENT.extension]);
    const byPinyin = await adapter.searchPatients({ text: 'Wei Zhang' }, { signal: signal() });
    expect(byPinyin.map((p) => p.resource.id)).toContain(DEMO_PLATFORM_PATIENT.extension);
    const byBirth = await adapter.searchPatients({ text: '1968-03-12 男' }, { signal: signal() });
    expect(byBirth.map((p) => p.resource.id)).toContain(DEMO_PLATFORM_PATIENT.extension);
    expect(await adapter.searchPatients({ text: '不存在的人' }, { signal: signal() })).toEqual([]);
  });

  it('fetches the record: demographics plus the CDA documents converted to FHIR', async () => {
    const record = await adapterFor(version).fetchRecord(DEMO_PLATFORM_PATIENT.extension, { signal: signal() });
    const patient = record.find((r) => r.resource.resourceType === 'Patient')?.resource as Patient;
    expect(patient.id).toBe(DEMO_PLATFORM_PATIENT.extension);
    const docs = record.filter((r) => r.resource.resourceType === 'DocumentReference').map((r) => r.resource as DocumentReference);
    expect(docs.map((d) => d.description).sort()).toEqual(['入院记录', '出院小结', '检查报告 胸部CT平扫', '检验报告']);
    for (const d of docs) expect(d.subject?.reference).toBe(`Patient/${DEMO_PLATFORM_PATIENT.extension}`);
    expect(record.some((r) => r.resource.resourceType === 'Condition')).toBe(true);
    expect(record.some((r) => r.resource.resourceType === 'Observation')).toBe(true);
    for (const r of record) expect(r.provenance.sourceId).toBe('emr-platform');
  });
});

describe('HL7 v3 adapter failures over real HTTP', () => {
  it('SOAP 1.2 Receiver fault → server-error with the fault text', async () => {
    platform.faults.set({ soapFault: { code: 'Receiver', reason: '主索引服务暂不可用' } });
    const e = await errorOf(adapterFor('1.2').searchPatients({ text: '张伟' }, { signal: signal() }));
    expect(e.code).toBe('server-error');
    expect(e.message).toContain('SOAP 1.2 fault Receiver: 主索引服务暂不可用');
  });

  it('SOAP 1.1 Client fault → bad-request with the fault text', async () => {
    platform.faults.set({ soapFault: { code: 'Sender', reason: 'invalid PRPA_IN201305UV02' } });
    const e = await errorOf(adapterFor('1.1').searchPatients({ text: '张伟' }, { signal: signal() }));
    expect(e.code).toBe('bad-request');
    expect(e.status).toBe(500);
    expect(e.message).toContain('SOAP 1.1 fault Client: invalid PRPA_IN201305UV02');
  });

  it('acknowledgement AE → server-error, AR → bad-request, both with the detail', async () => {
    platform.faults.set({ acknowledgement: { typeCode: 'AE', text: '数据库连接失败' } });
    const ae = await errorOf(adapterFor('1.2').fetchRecord(DEMO_PLATFORM_PATIENT.extension, { signal: signal() }));
    expect(ae.code).toBe('server-error');
    expect(ae.message).toContain('acknowledgement AE (application error): 数据库连接失败');
    platform.faults.set({ acknowledgement: { typeCode: 'AR', text: 'unknown sender device' } });
    const ar = await errorOf(adapterFor('1.1').searchPatients({ text: '张伟' }, { signal: signal() }));
    expect(ar.code).toBe('bad-request');
  });

  it('HTTP 503 and a corrupt body map to server-error and protocol', async () => {
    platform.faults.set({ errorRate: 1, errorStatus: 503 });
    expect((await errorOf(adapterFor('1.2').searchPatients({ text: '张伟' }, { signal: signal() }))).code).toBe('server-error');
    platform.faults.reset();
    platform.faults.set({ corruptBody: 'malformed-json' });
    expect((await errorOf(adapterFor('1.2').searchPatients({ text: '张伟' }, { signal: signal() }))).code).toBe('protocol');
  });

  it('a hanging platform is cut by the caller’s AbortSignal, and by the source deadline', async () => {
    platform.faults.set({ hang: true });
    const controller = new AbortController();
    const pending = adapterFor('1.2').searchPatients({ text: '张伟' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect((await errorOf(pending)).code).toBe('aborted');
    expect((await errorOf(adapterFor('1.2', 300).searchPatients({ text: '张伟' }, { signal: signal() }))).code).toBe('timeout');
  });

  it('an unknown patient id is not-found; an unreachable platform is unreachable; probe reports both', async () => {
    expect((await errorOf(adapterFor('1.2').fetchRecord('E000000001', { signal: signal() }))).code).toBe('not-found');
    expect(await adapterFor('1.1').probe({ signal: signal() })).toMatchObject({ reachable: true, authOk: true });
    const dead = createHl7v3Adapter(
      Hl7v3SourceConfigSchema.parse({
        ...platformSourceConfig('http://127.0.0.1:9/services/HIPService'),
        resilience: { timeoutMs: 2000, retries: 0, slowMs: 2000 },
      }),
    );
    expect((await errorOf(dead.searchPatients({ text: '张伟' }, { signal: signal() }))).code).toBe('unreachable');
    expect(await dead.probe({ signal: signal() })).toMatchObject({ reachable: false });
  });
});
