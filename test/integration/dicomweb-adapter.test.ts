import type { ImagingStudy, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDicomwebAdapter } from '../../src/adapters/dicomweb/dicomweb-adapter.ts';
import { TAG } from '../../src/adapters/dicomweb/dicom-json.ts';
import { endpointFromConfig } from '../../src/adapters/dicomweb/dicomweb-transport.ts';
import { searchSeries } from '../../src/adapters/dicomweb/qido.ts';
import { retrieveInstanceFrames, retrieveSeriesMetadata, retrieveStudyMetadata } from '../../src/adapters/dicomweb/wado.ts';
import type { SourceAdapter } from '../../src/adapters/source-adapter.ts';
import { SourceError } from '../../src/adapters/source-error.ts';
import { startOrthanc } from '../../src/demo-hospital/pacs/orthanc-process.ts';
import { DEMO_PACS_PATIENT_ID } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { RESIDENT_ID_SYSTEM } from '../../src/demo-hospital/synthetic/resident-id.ts';
import { DicomwebSourceConfigSchema } from '../../src/shared/config/sources/dicomweb.ts';
import { startHangingServer } from '../support/pacs-hanging-server.ts';
import { startTestPacs, type TestPacs } from '../support/pacs-orthanc.ts';

const signal = (): AbortSignal => AbortSignal.timeout(20_000);
let setup: TestPacs;
let adapter: SourceAdapter;

beforeAll(async () => {
  setup = await startTestPacs();
  adapter = createDicomwebAdapter(setup.config);
});
afterAll(async () => {
  await setup?.pacs.stop();
});

async function demoStudies(): Promise<ImagingStudy[]> {
  const record = await adapter.fetchRecord(DEMO_PACS_PATIENT_ID, { signal: signal() });
  return record.map((r) => r.resource).filter((r): r is ImagingStudy => r.resourceType === 'ImagingStudy');
}

describe('QIDO-RS → FHIR against Orthanc', () => {
  it('maps the demo patient’s studies and series to ImagingStudy with provenance and an Endpoint', async () => {
    const record = await adapter.fetchRecord(DEMO_PACS_PATIENT_ID, { signal: signal() });
    const plan = setup.pacs.plan.studies.filter((s) => s.patient.id === DEMO_PACS_PATIENT_ID);
    const studies = record.filter((r) => r.resource.resourceType === 'ImagingStudy');
    expect(studies).toHaveLength(plan.length);
    const endpoint = record.find((r) => r.resource.resourceType === 'Endpoint');
    expect(endpoint?.resource).toMatchObject({ id: 'pacs-dicomweb', address: setup.pacs.dicomwebBaseUrl });

    const ct = studies.find((s) => (s.resource as ImagingStudy).started?.startsWith('2025-05-20'));
    expect(ct?.provenance).toMatchObject({ sourceId: 'pacs', sourceKind: 'dicomweb', messageType: 'QIDO-RS' });
    const ctPlan = plan.find((s) => s.date === '20250520')!;
    expect(ct?.provenance.nativeId).toBe(ctPlan.studyUid);
    const study = ct!.resource as ImagingStudy;
    const stack = ctPlan.series.find((s) => s.kind === 'ct-phantom')!;
    const stackSlices = stack.kind === 'ct-phantom' ? stack.slices : 0;
    expect(study).toMatchObject({
      id: ctPlan.studyUid,
      status: 'available',
      started: '2025-05-20T09:30:00+08:00',
      description: 'CT 胸部平扫 Chest CT',
      procedureCode: [{ text: '胸部CT平扫' }],
      modality: [{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: 'CT' }],
      numberOfSeries: ctPlan.series.length,
      numberOfInstances: stackSlices + 1,
      subject: { reference: `Patient/${DEMO_PACS_PATIENT_ID}`, display: '张伟' },
      endpoint: [{ reference: 'Endpoint/pacs-dicomweb' }],
    });
    expect(study.identifier).toContainEqual({ system: 'urn:dicom:uid', value: `urn:oid:${ctPlan.studyUid}` });
    expect(study.series?.map((s) => [s.uid, s.number, s.modality.code, s.numberOfInstances, s.description])).toEqual([
      [stack.uid, 2, 'CT', stackSlices, stack.description],
      [ctPlan.series[1]!.uid, 3, 'CT', 1, '关键图像 Key image (JPEG 2000)'],
    ]);
    expect(study.series?.[0]?.bodySite).toEqual({ system: 'http://snomed.info/sct', code: '816094009', display: 'Thorax' });
  });

  it('has a prior CT of the same modality for the demo patient', async () => {
    const cts = (await demoStudies()).filter((s) => s.modality?.some((m) => m.code === 'CT'));
    expect(cts.map((s) => s.started?.slice(0, 10)).sort()).toEqual(['2024-03-11', '2025-05-20']);
  });

  it('finds the demo patient by 汉字 name, by pinyin and by PatientID, with identifiers for linking', async () => {
    for (const text of ['张伟', 'zhang wei', DEMO_PACS_PATIENT_ID]) {
      const found = await adapter.searchPatients({ text }, { signal: signal() });
      const demo = found.find((p) => p.resource.id === DEMO_PACS_PATIENT_ID);
      expect(demo, text).toBeDefined();
      const patient = demo!.resource as Patient;
      expect(patient).toMatchObject({ gender: 'male', birthDate: DEMO_PATIENT.birthDate });
      expect(patient.name?.[0]).toMatchObject({ text: '张伟', family: '张', given: ['伟'] });
      expect(patient.identifier).toContainEqual(
        expect.objectContaining({ system: 'urn:huizhen:dicom-issuer:HZDEMO-PACS', value: DEMO_PACS_PATIENT_ID }),
      );
      expect(patient.identifier).toContainEqual(expect.objectContaining({ system: RESIDENT_ID_SYSTEM, value: DEMO_PATIENT.residentId }));
      expect(demo!.provenance).toMatchObject({ nativeId: DEMO_PACS_PATIENT_ID, messageType: 'QIDO-RS' });
    }
  });

  it('does not return another 汉字 name that shares the pinyin', async () => {
    const found = await adapter.searchPatients({ text: '章维' }, { signal: signal() });
    expect(found.map((p) => p.resource.id)).not.toContain(DEMO_PACS_PATIENT_ID);
  });

  it('returns nothing for an unknown patient, an unknown study, and empty text', async () => {
    expect(await adapter.fetchRecord('P99999999', { signal: signal() })).toEqual([]);
    expect(await adapter.searchPatients({ text: '不存在' }, { signal: signal() })).toEqual([]);
    expect(await adapter.searchPatients({ text: '   ' }, { signal: signal() })).toEqual([]);
    expect(await searchSeries(endpointFromConfig(setup.config), '1.2.3.999999', signal())).toEqual([]);
  });

  it('probes with a one-study QIDO-RS query, and reports wrong credentials as authOk false', async () => {
    expect(await adapter.probe({ signal: signal() })).toMatchObject({ reachable: true, authOk: true, protocolVersion: 'DICOMweb QIDO-RS' });
    const wrong = createDicomwebAdapter({ ...setup.config, auth: { type: 'basic', username: 'huizhen', password: 'wrong' } });
    expect(await wrong.probe({ signal: signal() })).toMatchObject({ reachable: true, authOk: false });
    await expect(wrong.fetchRecord(DEMO_PACS_PATIENT_ID, { signal: signal() })).rejects.toMatchObject({
      code: 'unauthorized',
      status: 401,
    });
  });
});

describe('WADO-RS against Orthanc', () => {
  it('retrieves series metadata and a frame in its stored transfer syntax (JPEG-LS)', async () => {
    const endpoint = endpointFromConfig(setup.config);
    const mr = setup.pacs.plan.studies.find((s) => s.patient.id === DEMO_PACS_PATIENT_ID && s.date === '20230905')!;
    const jls = mr.series.find((s) => s.description.includes('JPEG-LS'))!;
    const metadata = await retrieveSeriesMetadata(endpoint, { studyInstanceUid: mr.studyUid, seriesInstanceUid: jls.uid }, signal());
    expect(metadata).toHaveLength(1);
    const sop = metadata[0]![TAG.SOPInstanceUID]!.Value![0] as string;
    expect(sop).toBe(`${jls.uid}.1`);
    const [frame, ...rest] = await retrieveInstanceFrames(
      endpoint,
      { studyInstanceUid: mr.studyUid, seriesInstanceUid: jls.uid, sopInstanceUid: sop, frameNumbers: [1] },
      signal(),
    );
    expect(rest).toEqual([]);
    expect(frame).toMatchObject({ contentType: 'image/jls', transferSyntaxUid: '1.2.840.10008.1.2.4.80' });
    // JPEG-LS starts with SOI (FF D8) and is far smaller than the 64×64×2 raw frame.
    expect([frame!.data[0], frame!.data[1]]).toEqual([0xff, 0xd8]);
    expect(frame!.data.byteLength).toBeLessThan(64 * 64 * 2);
  });

  it('retrieves study metadata for every instance, and maps a bad UID to a typed error', async () => {
    const endpoint = endpointFromConfig(setup.config);
    const mr = setup.pacs.plan.studies.find((s) => s.patient.id === DEMO_PACS_PATIENT_ID && s.date === '20230905')!;
    const all = await retrieveStudyMetadata(endpoint, mr.studyUid, signal());
    expect(all.length).toBe(mr.series.reduce((n, s) => n + (s.kind === 'sample' ? 1 : s.slices), 0));
    await expect(retrieveStudyMetadata(endpoint, '1.2.3/../x', signal())).rejects.toMatchObject({ code: 'protocol' });
    await expect(retrieveStudyMetadata(endpoint, '1.2.3.4.5.999', signal())).rejects.toMatchObject({ code: 'not-found', status: 404 });
  });
});

describe('DICOMweb failures', () => {
  it('maps a stopped Orthanc to unreachable, in QIDO and in WADO', async () => {
    const orthanc = await startOrthanc();
    await orthanc.stop();
    const config = DicomwebSourceConfigSchema.parse({
      id: 'gone-pacs',
      name: 'Stopped PACS',
      kind: 'dicomweb',
      baseUrl: orthanc.dicomwebBaseUrl,
      auth: { type: 'basic', ...orthanc.credentials },
    });
    const stopped = createDicomwebAdapter(config);
    const error = await stopped.fetchRecord(DEMO_PACS_PATIENT_ID, { signal: signal() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: 'unreachable', sourceId: 'gone-pacs', request: 'QIDO-RS GET studies' });
    expect((error as Error).message).toContain('connection refused');
    expect((error as Error).message).not.toContain(orthanc.credentials.password);
    expect(await stopped.probe({ signal: signal() })).toMatchObject({ reachable: false });
    await expect(retrieveStudyMetadata(endpointFromConfig(config), '1.2.3', signal())).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('cuts a server that never answers at the deadline (QIDO and WADO), and reports a caller abort as aborted', async () => {
    const hanging = await startHangingServer();
    try {
      const config = DicomwebSourceConfigSchema.parse({
        id: 'slow-pacs',
        name: 'Hanging PACS',
        kind: 'dicomweb',
        baseUrl: `${hanging.url}/dicom-web`,
        resilience: { timeoutMs: 300 },
      });
      const slow = createDicomwebAdapter(config);
      await expect(slow.searchPatients({ text: 'P1' }, { signal: signal() })).rejects.toMatchObject({
        code: 'timeout',
        sourceId: 'slow-pacs',
      });
      await expect(
        retrieveSeriesMetadata(endpointFromConfig(config), { studyInstanceUid: '1.2', seriesInstanceUid: '1.3' }, signal()),
      ).rejects.toMatchObject({ code: 'timeout' });
      const caller = new AbortController();
      const pending = createDicomwebAdapter({ ...config, resilience: { ...config.resilience, timeoutMs: 60_000 } }).fetchRecord('P1', {
        signal: caller.signal,
      });
      setTimeout(() => caller.abort(), 50);
      await expect(pending).rejects.toMatchObject({ code: 'aborted' });
      expect(hanging.requests).toBe(3);
    } finally {
      await hanging.close();
    }
  });

  it('refuses a patient id that cannot be a PatientID of this PACS', async () => {
    await expect(adapter.fetchRecord('x-@@@', { signal: signal() })).rejects.toMatchObject({ code: 'bad-request' });
  });
});
