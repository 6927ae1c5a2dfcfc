import type { Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHl7v3Adapter } from '../../src/adapters/hl7v3/index.ts';
import {
  DEMO_PLATFORM_PATIENT,
  platformSourceConfig,
  startPlatformSoap,
  type PlatformSoap,
} from '../../src/demo-hospital/platform-soap/index.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { Hl7v3SourceConfigSchema } from '../../src/shared/config/sources/hl7v3.ts';

/** The adapter against a platform that writes patients in the ISO data-type style (互联互通). */
let platform: PlatformSoap;
const signal = (): AbortSignal => AbortSignal.timeout(15_000);

beforeAll(async () => {
  platform = await startPlatformSoap(generateSyntheticHospital(), { dataTypeStyle: 'iso' });
});
afterAll(() => platform.stop());

const adapter = () =>
  createHl7v3Adapter(
    Hl7v3SourceConfigSchema.parse({
      ...platformSourceConfig(platform.url, '1.2'),
      resilience: { timeoutMs: 10_000, retries: 0, slowMs: 2000 },
    }),
  );

describe('HL7 v3 adapter ↔ demo platform answering in ISO data types', () => {
  it('reads id/item, LIST_EN parts, DSET_TEL, GB/T 2261.1 sex and the 身份证 on patientPerson', async () => {
    const found = await adapter().searchPatients({ text: '张伟' }, { signal: signal() });
    expect(found).toHaveLength(1);
    const p = found[0]!.resource;
    expect(p.id).toBe(DEMO_PLATFORM_PATIENT.extension);
    expect(p.identifier).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ system: `urn:oid:${DEMO_PLATFORM_PATIENT.root}`, value: DEMO_PLATFORM_PATIENT.extension }),
        expect.objectContaining({
          system: DEMO_PATIENT.residentIdSystem,
          value: DEMO_PATIENT.residentId,
          type: expect.objectContaining({ coding: [expect.objectContaining({ code: 'NNCHN' })] }),
        }),
      ]),
    );
    expect(p).toMatchObject({
      gender: 'male',
      birthDate: '1968-03-12',
      telecom: [{ system: 'phone', value: '13811112222', use: 'mobile' }],
    });
    expect(p.name?.map((n) => n.text)).toEqual(['张伟', 'Wei Zhang']);
  });

  it('fetches the record by the platform id read from id/item', async () => {
    const record = await adapter().fetchRecord(DEMO_PLATFORM_PATIENT.extension, { signal: signal() });
    const patient = record.find((r) => r.resource.resourceType === 'Patient')?.resource as Patient;
    expect(patient.name?.[0]?.text).toBe('张伟');
    expect(record.some((r) => r.resource.resourceType === 'DocumentReference')).toBe(true);
  });
});
