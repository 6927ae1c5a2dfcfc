import { createRequire } from 'node:module';
import type * as DicomParserModule from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { endpointFromConfig } from '../../src/adapters/dicomweb/index.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { DEMO_PACS_PATIENT_ID } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import type { AccessAuditEvent } from '../../src/main/services/access/audit-port.ts';
import { MASKED_HEADER } from '../../src/main/services/access/masked-instance.ts';
import type { SecuredApi } from '../../src/main/services/access/secured-api.ts';
import { secureDicomweb } from '../../src/main/services/access/secured-dicomweb.ts';
import { boundaryOf, createDicomwebProxy, splitMultipart } from '../../src/main/services/dicomweb-proxy/index.ts';
import { securedDemoHospital } from '../support/secured-demo-hospital.ts';

/**
 * Issue 18: the whole stored instance the viewer reads for frames a PACS cannot convert or serve,
 * through the access-checked DICOMweb endpoint and the real demo Orthanc, with the workstation's
 * encrypted cache. The radiologist (the 身份证 masked) gets it with that number overwritten and
 * everything else — name, MRN, every pixel byte — as stored; the attending doctor gets the
 * original; in privacy mode the doctor gets name and ids blanked. The cache holds the original
 * only: the doctor's read after the radiologist's is the PACS's bytes from the cache.
 */
const demo = securedDemoHospital({ cache: 'masked-instance' });
const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParserModule;
const INSTANCE_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*';
const PATIENT_KEY = 'patient-masked-instance';

interface Viewer {
  get(path: string, accept: string): Promise<Response>;
}

function viewerFor(api: SecuredApi): Viewer {
  const pacs = demo.config.sources.find((s) => s.kind === 'dicomweb');
  if (pacs?.kind !== 'dicomweb') throw new Error('the demo hospital has no PACS');
  const proxy = createDicomwebProxy({
    sources: [{ sourceId: pacs.id, endpoint: endpointFromConfig(pacs) }],
    cache: demo.cache,
    patientKeyFor: () => PATIENT_KEY,
  });
  const handler = secureDicomweb(proxy, api);
  return { get: (path, accept) => handler(new Request(`http://127.0.0.1/dicom-web/${pacs.id}/${path}`, { headers: { accept } })) };
}

async function signedInWithZhang(
  username: 'radiologist' | 'doctor',
  audit: AccessAuditEvent[],
): Promise<{ api: SecuredApi; studyUid: string }> {
  const api = demo.securedApi(audit);
  await api.handlers.signInLocal({ username, password: DEMO_PASSWORD });
  const { candidates } = await api.handlers.searchPatients({ query: DEMO_PATIENT.residentId });
  const zhang = candidates.find((c) => c.refs.some((r) => r.sourcePatientId === DEMO_PATIENT.fhirId))!;
  const opened = await api.handlers.openPatient({ refs: zhang.refs });
  const study = opened.entries.find((e) => e.kind === 'imaging' && JSON.stringify(e.resource).includes('CT'))!;
  return { api, studyUid: study.resource.id! };
}

async function firstInstancePath(viewer: Viewer, studyUid: string): Promise<string> {
  const series = (await (await viewer.get(`studies/${studyUid}/series`, 'application/dicom+json')).json()) as Record<
    string,
    { Value?: string[] }
  >[];
  const seriesUid = series[0]!['0020000E']!.Value![0]!;
  const instances = (await (
    await viewer.get(`studies/${studyUid}/series/${seriesUid}/instances`, 'application/dicom+json')
  ).json()) as Record<string, { Value?: string[] }>[];
  return `studies/${studyUid}/series/${seriesUid}/instances/${instances[0]!['00080018']!.Value![0]!}`;
}

async function part10Of(response: Response): Promise<Uint8Array> {
  expect(response.status).toBe(200);
  const split = splitMultipart(new Uint8Array(await response.arrayBuffer()), boundaryOf(response.headers.get('content-type') ?? '')!);
  if (!split.ok) throw new Error(split.message);
  expect(split.parts).toHaveLength(1);
  return split.parts[0]!.body;
}

const has = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(Buffer.from(text, 'utf8'));

function pixelsOf(bytes: Uint8Array): Buffer {
  const element = dicomParser.parseDicom(bytes).elements['x7fe00010']!;
  return Buffer.from(bytes.subarray(element.dataOffset, element.dataOffset + element.length));
}

describe('a whole stored instance for a session that masks identity (issue 18)', () => {
  it('the radiologist gets 200 with the 身份证 overwritten; the attending doctor the original; privacy mode blanks name and ids', async () => {
    const radiologistAudit: AccessAuditEvent[] = [];
    const radiologist = await signedInWithZhang('radiologist', radiologistAudit);
    const radiologistViewer = viewerFor(radiologist.api);
    const path = await firstInstancePath(radiologistViewer, radiologist.studyUid);

    const first = await radiologistViewer.get(path, INSTANCE_ACCEPT);
    expect(first.headers.get(MASKED_HEADER)).toBe('national-id');
    expect(first.headers.get('cache-control')).toBe('no-store');
    const masked = await part10Of(first);
    expect(has(masked, DEMO_PATIENT.residentId)).toBe(false);
    // Name and the PACS's MRN stay: radiologists match images to the request by them.
    expect(has(masked, DEMO_PACS_PATIENT_ID)).toBe(true);
    expect(has(masked, '张')).toBe(true);
    expect(radiologistAudit.filter((e) => e.action === 'image-view').map((e) => e.entity?.detail)).toEqual([
      undefined,
      expect.stringMatching(/^instance [0-9.]+ served masked \(national-id; [1-9][0-9]* values blanked\)$/),
    ]);

    const doctor = await signedInWithZhang('doctor', []);
    const doctorViewer = viewerFor(doctor.api);
    const originalAnswer = await doctorViewer.get(path, INSTANCE_ACCEPT);
    // From the cache the radiologist's read filled: the original, never the masked copy.
    expect(originalAnswer.headers.get('x-huizhen-cache')).toBe('hit');
    expect(originalAnswer.headers.get(MASKED_HEADER)).toBeNull();
    const original = await part10Of(originalAnswer);
    expect(original.byteLength).toBe(masked.byteLength);
    expect(has(original, DEMO_PATIENT.residentId)).toBe(true);
    expect(pixelsOf(masked).equals(pixelsOf(original))).toBe(true);
    expect(dicomParser.parseDicom(masked).string('x00020010')).toBe(dicomParser.parseDicom(original).string('x00020010'));

    // The radiologist again, now from the cache: masked all the same.
    const again = await part10Of(await radiologistViewer.get(path, INSTANCE_ACCEPT));
    expect(Buffer.from(again).equals(Buffer.from(masked))).toBe(true);

    await doctor.api.handlers.setPrivacyMode({ enabled: true });
    const privacy = await doctorViewer.get(path, INSTANCE_ACCEPT);
    expect(privacy.headers.get(MASKED_HEADER)).toBe('full');
    const blanked = await part10Of(privacy);
    for (const secret of [DEMO_PATIENT.residentId, DEMO_PACS_PATIENT_ID, '张', 'Zhang']) expect(has(blanked, secret), secret).toBe(false);
    expect(pixelsOf(blanked).equals(pixelsOf(original))).toBe(true);
    radiologist.api.close();
    doctor.api.close();
  });
});
