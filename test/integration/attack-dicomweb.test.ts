/**
 * An attacker holding a signed-in clinician's tab composes DICOMweb requests over the real
 * browser host: another patient's Study/Series/SOP UIDs, a study the role may not see, a study
 * of a closed patient, after sign-out, from a second tab after the user changed, routes the
 * viewer never uses. Every refusal is decided in main before the PACS is asked (the relay in
 * front of Orthanc records nothing), and nothing cached from an earlier session is served.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { useAttackHost, type Tab } from '../support/attack-host.ts';

const suite = useAttackHost();

const FRAME_ACCEPT = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';
const INSTANCE_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*';
type DicomJson = Record<string, { Value?: unknown[] }>[];

/** Signs `username` in through `tab` and opens 张伟; returns the view and his first study's UID. */
async function openZhang(tab: Tab, username: string): Promise<{ viewId: string; studyUid: string | undefined }> {
  expect((await tab.call('signInLocal', { username, password: DEMO_PASSWORD })).status).toBe(200);
  const found = await tab.call('searchPatients', { query: DEMO_PATIENT.residentId });
  expect(found.status).toBe(200);
  const candidates = found.body['candidates'] as { refs: unknown[] }[];
  const opened = await tab.call('openPatient', { refs: candidates[0]!.refs });
  expect(opened.status, JSON.stringify(opened.body.error)).toBe(200);
  const entries = opened.body['entries'] as { kind: string; resource: { resourceType: string; id?: string } }[];
  const study = entries.find((e) => e.kind === 'imaging' && e.resource.resourceType === 'ImagingStudy');
  return { viewId: opened.body['viewId'] as string, studyUid: study?.resource.id };
}

/** The PACS paths asked while `run` ran (after the proxy's writes behind settled). */
async function pacsAskedDuring(run: () => Promise<void>): Promise<string[]> {
  await suite.attack.settled();
  const before = suite.attack.pacs.asked.length;
  await run();
  await suite.attack.settled();
  return suite.attack.pacs.asked.slice(before);
}

async function expectRefused(tab: Tab, path: string, status: number, accept?: string): Promise<void> {
  const answer = await tab.dicomweb(path, accept);
  const body = await answer.text();
  expect(answer.status, `${path}: ${body.slice(0, 200)}`).toBe(status);
  expect(answer.headers.get('cache-control')).toBe('no-store');
}

const uidsOf = (json: DicomJson, tag: string): string[] => json.map((item) => String(item[tag]!.Value![0]));

describe('DICOMweb compositions an attacker can make from a signed-in tab', () => {
  let zhangStudy: string;
  let zhangSeries: string;
  let zhangInstance: string;
  let otherStudy: { studyUid: string; seriesUid: string };
  let otherInstance: string;

  beforeAll(async () => {
    const other = suite.hospital.pacs!.plan.studies.find((s) => s.patient.syntheticId !== DEMO_PATIENT.fhirId);
    if (!other) throw new Error('the demo PACS holds no study of another patient');
    otherStudy = { studyUid: other.studyUid, seriesUid: other.series[0]!.uid };
    // The other patient's SOP Instance UID, as an attacker who read it elsewhere would know it: straight from the PACS.
    const direct = await fetch(`${suite.attack.pacs.url}/studies/${otherStudy.studyUid}/series/${otherStudy.seriesUid}/instances`, {
      headers: { accept: 'application/dicom+json', authorization: pacsAuthorization() },
    });
    otherInstance = uidsOf((await direct.json()) as DicomJson, '00080018')[0]!;
  }, 60_000);

  it('the doctor with 张伟 open: his study is served, another patient’s study is refused before the PACS is asked', async () => {
    const tab = await suite.attack.tab();
    const { studyUid } = await openZhang(tab, 'doctor');
    zhangStudy = studyUid!;
    const series = (await (await tab.dicomweb(`studies/${zhangStudy}/series`)).json()) as DicomJson;
    zhangSeries = uidsOf(series, '0020000E')[0]!;
    const instances = (await (await tab.dicomweb(`studies/${zhangStudy}/series/${zhangSeries}/instances`)).json()) as DicomJson;
    zhangInstance = uidsOf(instances, '00080018')[0]!;
    const frame = await tab.dicomweb(`studies/${zhangStudy}/series/${zhangSeries}/instances/${zhangInstance}/frames/1`, FRAME_ACCEPT);
    expect(frame.status).toBe(200);
    await frame.arrayBuffer();
    // The relay sees what the workstation asks: an empty list below means the PACS was not asked.
    expect(suite.attack.pacs.asked.some((line) => line.includes(zhangInstance))).toBe(true);

    const { studyUid: other, seriesUid } = otherStudy;
    const asked = await pacsAskedDuring(async () => {
      for (const [path, accept] of [
        [`studies/${other}/series`, undefined],
        [`studies/${other}/metadata`, undefined],
        [`studies/${other}/series/${seriesUid}/metadata`, undefined],
        [`studies/${other}/series/${seriesUid}/instances/${otherInstance}`, INSTANCE_ACCEPT],
        [`studies/${other}/series/${seriesUid}/instances/${otherInstance}/frames/1`, FRAME_ACCEPT],
        [`studies/${other}/series/${seriesUid}/instances/${otherInstance}/metadata`, undefined],
      ] as const)
        await expectRefused(tab, path, 403, accept);
    });
    expect(asked).toEqual([]);
    await tab.call('signOut');
  }, 120_000);

  it('张伟’s Study UID with another patient’s Series or SOP UIDs under it never returns the other patient’s data', async () => {
    const tab = await suite.attack.tab();
    await openZhang(tab, 'doctor');
    const { seriesUid } = otherStudy;
    const mixed = [
      [`studies/${zhangStudy}/series/${seriesUid}/metadata`, undefined],
      [`studies/${zhangStudy}/series/${seriesUid}/instances`, undefined],
      [`studies/${zhangStudy}/series/${seriesUid}/instances/${otherInstance}/metadata`, undefined],
      [`studies/${zhangStudy}/series/${seriesUid}/instances/${otherInstance}/frames/1`, FRAME_ACCEPT],
      [`studies/${zhangStudy}/series/${seriesUid}/instances/${otherInstance}`, INSTANCE_ACCEPT],
      [`studies/${zhangStudy}/series/${zhangSeries}/instances/${otherInstance}/frames/1`, FRAME_ACCEPT],
      [`studies/${zhangStudy}/series/${zhangSeries}/instances/${otherInstance}`, INSTANCE_ACCEPT],
    ] as const;
    const statuses: number[] = [];
    const codes: (string | null)[] = [];
    const asked = await pacsAskedDuring(async () => {
      for (const [path, accept] of mixed) {
        const answer = await tab.dicomweb(path, accept);
        statuses.push(answer.status);
        codes.push(answer.headers.get('x-huizhen-error'));
        const bytes = Buffer.from(await answer.arrayBuffer());
        // The PACS resolves each UID under the ones before it: a SOP of another study is not there.
        expect(answer.ok && bytes.length > 2, `${path} answered ${answer.status} with ${bytes.length} bytes`).toBe(false);
        expect(bytes.includes(Buffer.from(otherInstance)), path).toBe(false);
      }
    });
    // Orthanc: 404 for each metadata resource, and an empty QIDO list ([]) for the instances of a series not in
    // the study. Frames and whole instances are refused in main: no metadata of the path's series lists the instance.
    expect(statuses).toEqual([404, 200, 404, 403, 403, 403, 403]);
    expect(codes.slice(3)).toEqual(['not-in-series', 'not-in-series', 'not-in-series', 'not-in-series']);
    // Its pixel data or file never asked of the PACS: only metadata, to learn the series.
    expect(asked.filter((line) => line.includes(otherInstance) && !line.endsWith('/metadata'))).toEqual([]);
    await tab.call('signOut');
  }, 120_000);

  it('the nurse with 张伟 open may not see his images: refused before the PACS is asked, also a frame the doctor cached', async () => {
    const tab = await suite.attack.tab();
    await openZhang(tab, 'nurse');
    const asked = await pacsAskedDuring(async () => {
      await expectRefused(tab, `studies/${zhangStudy}/series`, 403);
      await expectRefused(tab, `studies/${zhangStudy}/series/${zhangSeries}/instances/${zhangInstance}/frames/1`, 403, FRAME_ACCEPT);
      await expectRefused(tab, `studies/${zhangStudy}/series/${zhangSeries}/instances/${zhangInstance}`, 403, INSTANCE_ACCEPT);
    });
    expect(asked).toEqual([]);
    await tab.call('signOut');
  }, 120_000);

  it('after closing the patient, after sign-out and from a tab with no session: refused, the PACS not asked for it', async () => {
    const tab = await suite.attack.tab();
    const { viewId } = await openZhang(tab, 'doctor');
    const framePath = `studies/${zhangStudy}/series/${zhangSeries}/instances/${zhangInstance}/frames/1`;
    expect((await tab.dicomweb(framePath, FRAME_ACCEPT)).status).toBe(200);
    const asked = await pacsAskedDuring(async () => {
      expect((await tab.call('closePatient', { viewId })).status).toBe(200);
      await expectRefused(tab, framePath, 403, FRAME_ACCEPT);
      expect((await tab.call('signOut')).status).toBe(200);
      await expectRefused(tab, framePath, 401, FRAME_ACCEPT);
      const stranger = await suite.attack.stranger().dicomweb(framePath, FRAME_ACCEPT);
      expect(stranger.status).toBe(401);
    });
    expect(asked.filter((line) => line.includes(zhangInstance))).toEqual([]);
  }, 120_000);

  it('a second tab signs another user in: the first tab’s viewer gets nothing of the previous user’s patient', async () => {
    const doctorTab = await suite.attack.tab();
    const otherTab = await suite.attack.tab();
    await openZhang(doctorTab, 'doctor');
    const framePath = `studies/${zhangStudy}/series/${zhangSeries}/instances/${zhangInstance}/frames/1`;
    expect((await doctorTab.dicomweb(framePath, FRAME_ACCEPT)).status).toBe(200);
    // The doctor walks away; the radiologist signs in at the same workstation in the other tab and opens no one.
    expect((await doctorTab.call('signOut')).status).toBe(200);
    expect((await otherTab.call('signInLocal', { username: 'radiologist', password: DEMO_PASSWORD })).status).toBe(200);
    const asked = await pacsAskedDuring(async () => {
      for (const tab of [doctorTab, otherTab]) {
        await expectRefused(tab, framePath, 403, FRAME_ACCEPT);
        await expectRefused(tab, `studies/${zhangStudy}/series`, 403);
      }
      // The doctor's view id from the first tab names nothing for the radiologist.
      const view = await doctorTab.call('entryResources', { viewId: 'stale-view', entryIds: ['x'] });
      expect(view.status).toBe(400);
    });
    expect(asked).toEqual([]);
    // Once the radiologist opens 张伟 herself, the same frame is served (the door opens when it should).
    await otherTab.call('signOut');
    await openZhang(otherTab, 'radiologist');
    expect((await doctorTab.dicomweb(framePath, FRAME_ACCEPT)).status).toBe(200);
    await otherTab.call('signOut');
  }, 120_000);

  it('routes the viewer never uses (thumbnail, rendered, study retrieve, QIDO of all studies, odd paths) are refused before the PACS', async () => {
    const tab = await suite.attack.tab();
    await openZhang(tab, 'doctor');
    const asked = await pacsAskedDuring(async () => {
      for (const path of [
        `studies/${zhangStudy}/thumbnail`,
        `studies/${zhangStudy}/rendered`,
        `studies/${zhangStudy}/series/${zhangSeries}/thumbnail`,
        `studies/${zhangStudy}/series/${zhangSeries}/rendered`,
        `studies/${zhangStudy}/series/${zhangSeries}/instances/${zhangInstance}/rendered`,
        `studies/${zhangStudy}/series/${zhangSeries}/instances/${zhangInstance}/thumbnail`,
        `studies/${zhangStudy}/series/${zhangSeries}/instances/${zhangInstance}/frames/1/rendered`,
        `studies/${zhangStudy}`,
        `studies`,
      ])
        await expectRefused(tab, path, 404);
      await expectRefused(tab, `studies/${zhangStudy}/series?PatientID=*`, 400);
      await expectRefused(tab, `studies/${zhangStudy}/series/${zhangSeries}/instances/${zhangInstance}/frames/0`, 400, FRAME_ACCEPT);
      await expectRefused(tab, `studies/${zhangStudy}/series/1.2%2F3/metadata`, 400);
    });
    expect(asked).toEqual([]);
    await tab.call('signOut');
  }, 120_000);
});

function pacsAuthorization(): string {
  const source = suite.hospital.config.sources.find((s) => s.kind === 'dicomweb');
  const auth = source?.kind === 'dicomweb' ? source.auth : undefined;
  if (auth?.type !== 'basic') return '';
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}
