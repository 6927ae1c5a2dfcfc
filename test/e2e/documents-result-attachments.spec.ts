// HL7 v2 ED results in the documents view: the LIS sends a morphology report as a PDF, a PNG and
// an HTML page inside OBX-5 (test/support/ed-result-message.ts, synthetic), pushed over MLLP to a
// workstation of its own. Each shows as a result attachment with its format, date, system and the
// result it belongs to; the image inline, the PDF as a download, the HTML sanitized like a CDA
// narrative — nothing of it ever runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { HIS_DEMO_MRN } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { pushHisMessages } from '../../src/demo-hospital/his-mllp/his-orders.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { serveWorkstation, type ServedWorkstation } from '../../src/main/host/serve-workstation.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { edResultMessage } from '../support/ed-result-message.ts';
import { freePort } from '../support/free-port.ts';
import { openAppAs, screenshot, watchConsole } from './support.ts';

let hospital: DemoHospital | undefined;
let served: ServedWorkstation | undefined;
let inboundPort = 0;
let home: string | undefined;

test.beforeAll(async () => {
  // A hospital of our own: the pushed attachments never reach the other specs' patient.
  hospital = await startDemoHospital({ pacs: false });
  inboundPort = await freePort();
  // The inbound listener stores what it acknowledges: it needs a cache of its own.
  home = mkdtempSync(join(tmpdir(), 'huizhen-e2e-ed-'));
  served = await serveWorkstation({
    config: parseConfig(
      {
        ...hospital.config,
        cache: { enabled: true, directory: join(home, 'cache'), passphraseEnv: 'HUIZHEN_E2E_CACHE_PASSPHRASE' },
        inboundHl7: { enabled: true, port: inboundPort, sourceId: 'his', patientIdAuthority: 'HIS' },
      },
      'result attachments',
    ),
    rendererDir: join(import.meta.dirname, '..', '..', 'dist-renderer'),
  });
});

test.afterAll(async () => {
  await served?.close();
  await hospital?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

async function openZhang(page: Page, as: 'doctor' | 'nurse'): Promise<void> {
  await openAppAs(page, as, served!.host.origin);
  await page.getByTestId('patient-search-input').fill(DEMO_PATIENT.mrn);
  await page.getByTestId('patient-search-input').press('Enter');
  await page.getByTestId('patient-result').first().click();
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: 45_000 });
  await page.keyboard.press('Alt+3');
  await expect(page.getByTestId('tab-documents')).toHaveAttribute('aria-selected', 'true');
}

const item = (page: Page, title: string) => page.getByTestId('document-item').filter({ hasText: title });

test('the LIS’s PDF, image and HTML results open in the documents view, safely, in zh-CN and en; a nurse reads them with the results', async ({
  page,
  context,
}) => {
  const problems = watchConsole(page);
  expect(await pushHisMessages([edResultMessage(HIS_DEMO_MRN)], inboundPort)).toEqual(['CA']);
  await context.clearCookies();
  await page.goto(served!.host.url);
  await openZhang(page, 'doctor');

  for (const title of ['形态学报告单', '血涂片图像', '形态学描述']) {
    await expect(item(page, title)).toHaveCount(1);
    await expect(item(page, title).getByTestId('document-result-attachment')).toHaveText('检验结果附件');
  }

  // The image: inline, drawn (a data: URL the CSP allows), with its facts.
  await item(page, '血涂片图像').click();
  const image = page.getByTestId('document-image');
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(96);
  await expect(page.getByTestId('document-fact-kind')).toContainText('图像');
  await expect(page.getByTestId('document-fact-result')).toContainText('血涂片图像');
  await expect(page.getByTestId('document-fact-source')).toContainText(/HIS|医院信息/);
  await expect(page.getByTestId('document-fact-date')).not.toBeEmpty();
  await screenshot(page, '90-documents-result-image');

  // The PDF: never shown in the page, offered as a download of bytes.
  await item(page, '形态学报告单').click();
  await expect(page.getByTestId('document-fact-kind')).toContainText('PDF');
  await expect(page.getByTestId('document-file')).toHaveAttribute('data-kind', 'pdf');
  await expect(page.locator('embed, object, iframe')).toHaveCount(0);
  const download = page.waitForEvent('download');
  await page.getByTestId('document-download').click();
  expect((await download).suggestedFilename()).toBe('形态学报告单.pdf');
  await screenshot(page, '91-documents-result-pdf');

  // The HTML: sanitized like a CDA narrative; its script and handlers never run.
  await item(page, '形态学描述').click();
  const body = page.locator('[data-testid="document-body"][data-format="html"]');
  await expect(body.locator('h2')).toHaveText('外周血细胞形态学报告');
  await expect(body).toContainText('未见异常细胞。');
  expect(await body.locator('script, img, [onclick], [onerror]').count()).toBe(0);
  await body.getByText('未见异常细胞。').click();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();

  // From the result in the timeline, one click to the file it was sent as.
  await page.keyboard.press('Alt+1');
  const result = page.locator('[data-testid="timeline-entry"][data-kind="observation"]').filter({ hasText: '血涂片图像' });
  await result.click();
  await page.getByTestId('open-result-attachment').click();
  await expect(page.getByTestId('tab-documents')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('document-reader').locator('.doc-reader__title')).toHaveText('血涂片图像');

  await page.getByTestId('language-switch').selectOption('en');
  await item(page, 'Blood smear').or(item(page, '血涂片图像')).first().click();
  await expect(item(page, '血涂片图像').getByTestId('document-result-attachment')).toHaveText('Result attachment');
  await expect(page.getByTestId('document-fact-kind')).toContainText('Image');
  await expect(page.getByTestId('document-fact-result')).toContainText('Attached to result');
  await screenshot(page, '92-documents-result-image-en');
  await item(page, '形态学报告单').click();
  await expect(page.getByTestId('document-download')).toContainText('Download 形态学报告单.pdf');
  await page.getByTestId('language-switch').selectOption('zh-CN');

  // A nurse reads results but not documents: the result attachments with the results, no other document.
  await openZhang(page, 'nurse');
  await expect(item(page, '血涂片图像')).toHaveCount(1);
  const titles = await page.getByTestId('document-item').locator('.doc-list__title').allTextContents();
  expect(titles.sort()).toEqual(['形态学报告单', '形态学描述', '血涂片图像'].sort());
  await screenshot(page, '93-documents-result-attachments-nurse');
  expect(problems).toEqual([]);
});
