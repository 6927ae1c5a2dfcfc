import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_PACS_ISSUER, DEMO_PACS_PATIENT_ID, PYDICOM_TEST_FILES, RESIDENT_ID_ISSUER } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_CURRENT_CT } from '../../src/demo-hospital/synthetic/dicom-uid.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { serveOwnWorkstation, type OwnWorkstation } from './own-workstation.ts';
import { OPEN_TIMEOUT, openAppAs, openFromSearch, screenshot } from './support.ts';

/**
 * Issue 18, the radiologist's side: a series whose frames the viewer must cut from the stored
 * instance (a 32-bit RT dose stored Explicit VR Big Endian: Orthanc's own conversion swaps the
 * halves of each value) in 张伟's current CT study. The radiologist masks the 身份证, so the
 * instance used to be refused (403) and the picture came from the PACS's wrong conversion; now
 * it is served masked (200) and the series draws. The demo PACS holds no such series, so this
 * spec runs a demo hospital of its own and stores one there: pydicom's rtdose_expb_1frame.dcm
 * (Debian python3-pydicom, MIT) with new UIDs and the demo patient's generated identity.
 */
let hospital: DemoHospital | undefined;
let served: OwnWorkstation | undefined;
let folder = '';
let sopUid = '';
let studyUid = '';
const SERIES_DESCRIPTION = 'RT dose (Big Endian, 32-bit)';

test.beforeAll(async () => {
  test.setTimeout(300_000);
  hospital = await startDemoHospital({ pacs: 'small' });
  const pacs = hospital.pacs;
  if (!pacs) throw new Error(`the demo PACS did not start: ${hospital.notices.join('; ')}`);
  const study = pacs.plan.studies.find((s) => s.patient.id === DEMO_PACS_PATIENT_ID && s.date === DEMO_CURRENT_CT.date.replaceAll('-', ''));
  if (!study) throw new Error('no current CT in the demo plan');
  studyUid = study.studyUid;
  folder = mkdtempSync(path.join(tmpdir(), 'huizhen-e2e-rtdose-'));
  const file = path.join(folder, 'rtdose.dcm');
  copyFileSync(path.join(PYDICOM_TEST_FILES, 'rtdose_expb_1frame.dcm'), file);
  const set = (tag: string, value: string) => ['-i', `${tag}=${value}`];
  execFileSync(
    'dcmodify',
    [
      '-nb',
      '-gse',
      '-gin',
      // Orthanc takes a study's and patient's attributes from its latest instance: the study's own values.
      ...set('(0008,0005)', 'ISO_IR 192'),
      ...set('(0020,000d)', study.studyUid),
      ...set('(0008,0050)', study.accession),
      ...set('(0008,0020)', study.date),
      ...set('(0008,0030)', study.time),
      ...set('(0008,1030)', study.description),
      ...set('(0020,0010)', study.studyId),
      ...set('(0010,0010)', study.patient.name),
      ...set('(0010,0030)', study.patient.birthDate),
      ...set('(0010,0040)', study.patient.sex),
      ...set('(0010,0020)', DEMO_PACS_PATIENT_ID),
      ...set('(0010,0021)', DEMO_PACS_ISSUER),
      ...set('(0010,1002)[0].(0010,0020)', DEMO_PATIENT.residentId),
      ...set('(0010,1002)[0].(0010,0021)', RESIDENT_ID_ISSUER),
      ...set('(0020,0011)', '95'),
      ...set('(0008,103e)', SERIES_DESCRIPTION),
      file,
    ],
    { stdio: 'ignore' },
  );
  sopUid = /\[([0-9.]+)\]/.exec(execFileSync('dcmdump', ['-Un', '+P', '0008,0018', file], { encoding: 'utf8' }))![1]!;
  const orthanc = pacs.dicomwebBaseUrl.replace(/\/dicom-web\/?$/, '');
  const authorization = `Basic ${Buffer.from(`${pacs.credentials.username}:${pacs.credentials.password}`).toString('base64')}`;
  const stored = await fetch(`${orthanc}/instances`, { method: 'POST', body: readFileSync(file), headers: { authorization } });
  await stored.arrayBuffer();
  if (!stored.ok) throw new Error(`Orthanc refused the RT dose (HTTP ${stored.status})`);
  served = await serveOwnWorkstation(hospital.config, 'masked-instance', 30_000);
});

test.afterAll(async () => {
  await served?.close();
  await hospital?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

test('the radiologist opens a series that needs the stored instance: served masked (200), and it draws', async ({ page }) => {
  if (!served) throw new Error('no workstation');
  await page.goto(served.host.newLoginUrl());
  await openAppAs(page, 'radiologist', served.host.origin);
  await openFromSearch(page, DEMO_PATIENT.residentId, DEMO_PATIENT.nameHanzi);
  const instance = page.waitForResponse((r) => r.url().endsWith(`/instances/${sopUid}`), { timeout: OPEN_TIMEOUT * 2 });
  await page.getByTestId('tab-imaging').click();
  const panel = page.locator('[data-tab-panel="imaging"]').getByTestId('imaging-panel');
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: OPEN_TIMEOUT });
  const current = page.locator(`[data-testid="imaging-study"][data-study-uid="${studyUid}"]`);
  await current.click();
  await expect(current).toHaveAttribute('aria-pressed', 'true');
  const thumb = page.getByTestId('imaging-series-thumb').filter({ hasText: SERIES_DESCRIPTION });
  await expect(thumb).toHaveCount(1, { timeout: OPEN_TIMEOUT });
  await thumb.click();
  const answer = await instance;
  expect(answer.status()).toBe(200);
  expect(await answer.headerValue('x-huizhen-masked')).toBe('national-id');
  const body = await answer.body();
  expect(body.includes(Buffer.from(DEMO_PATIENT.residentId))).toBe(false);
  expect(body.includes(Buffer.from(DEMO_PACS_PATIENT_ID))).toBe(true);
  await expect(thumb).toHaveAttribute('data-state', 'ready', { timeout: OPEN_TIMEOUT });
  await expect(page.getByTestId('imaging-viewport').first()).toHaveAttribute('data-image-index', /\d+/, { timeout: OPEN_TIMEOUT });
  await screenshot(page, 'masked-instance-01-radiologist-rtdose');
  await expect(page.locator('body')).not.toContainText(DEMO_PATIENT.residentId);
});
