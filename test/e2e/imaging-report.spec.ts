import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_SEED } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { DEMO_CURRENT_CT, DEMO_PRIOR_CT, demoStudyUid, derivedUid } from '../../src/demo-hospital/synthetic/dicom-uid.ts';
import { DEMO_CT_IMPRESSION } from '../../src/demo-hospital/synthetic/radiology-report.ts';
import {
  DEMO_PRIOR_CT_COMPLAINT,
  DEMO_PRIOR_CT_FINDINGS,
  DEMO_PRIOR_CT_IMPRESSION,
} from '../../src/demo-hospital/platform-soap/imaging-report-document.ts';
import { DEMO_PRIOR_CT_ORDER_REASON } from '../../src/demo-hospital/his-mllp/his-imaging-orders.ts';
import { waitForImage } from '../support/imaging-canvas.ts';
import { openDemoPatientAsDoctor, screenshot, watchConsole } from './support.ts';

/**
 * The report beside the images, in the app itself: 张伟's current CT opens with its radiology
 * report (linked by accession number and Study Instance UID) in the side panel; one click goes
 * to the report's entry in the record and one click from there back to the images. A series
 * the PACS fails to send says why, and names the report as still readable. The prior CT's report
 * is a WS/T 500 检查报告 (CDA) from the platform's EMR: it shows beside the prior with its
 * sections, and leads to the document as written and back.
 */
const CT_UID = demoStudyUid(DEFAULT_SEED, DEMO_CURRENT_CT.key);
const PRIOR_UID = demoStudyUid(DEFAULT_SEED, DEMO_PRIOR_CT.key);
/** 张伟's brain MR, which no report names (its order is in the CDR). */
const MR_UID = demoStudyUid(DEFAULT_SEED, 'mr-2023');
/** The CT's key-image series (number 3), as the demo PACS seeds it. */
const KEY_IMAGE_SERIES = derivedUid(DEFAULT_SEED, `series/${CT_UID}/3`);

test('张伟’s CT with its report beside the images; report ↔ images in one click; a failing series says why', async ({ page }) => {
  const problems = watchConsole(page);
  // What the proxy answers when the PACS fails with HTTP 500 (its code and the PACS's status).
  await page.route(`**/series/${KEY_IMAGE_SERIES}/instances/*/frames/*`, (route) =>
    route.fulfill({
      status: 502,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'x-huizhen-error': 'pacs-failed', 'x-huizhen-pacs-status': '500' },
      body: 'PACS failed (HTTP 500)\n',
    }),
  );
  await openDemoPatientAsDoctor(page);

  await page.getByTestId('tab-imaging').click();
  const panel = page.locator('[data-tab-panel="imaging"]').getByTestId('imaging-panel');
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(panel).toHaveAttribute('data-study-uid', CT_UID);
  await waitForImage(page.getByTestId('imaging-viewport'));

  const report = page.getByTestId('imaging-report');
  await expect(report).toHaveAttribute('data-state', 'linked');
  const item = report.getByTestId('imaging-report-item');
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('imaging-report-impression')).toHaveText(DEMO_CT_IMPRESSION);
  // The reason for the study once, under the order above the report (the report links to the same order).
  await expect(report.getByTestId('imaging-order-indication')).toContainText('咳嗽');
  await expect(item.getByTestId('imaging-report-indication')).toHaveCount(0);
  // The doctor may see accession numbers masked; the Study Instance UID links in any case.
  await expect(item).toHaveAttribute('data-matched-by', /study-uid/);
  await expect(item.getByTestId('imaging-report-match')).toContainText('Study Instance UID');
  // Beside the image, not below it.
  const [reportBox, viewportBox] = await Promise.all([report.boundingBox(), page.getByTestId('imaging-viewport').boundingBox()]);
  expect(reportBox!.x).toBeGreaterThanOrEqual(viewportBox!.x + viewportBox!.width - 1);
  expect(reportBox!.y).toBeLessThan(viewportBox!.y + viewportBox!.height);
  await screenshot(page, 'imaging-report-01-beside-ct');

  // Viewer → the report's entry in the record.
  const entryId = (await item.getAttribute('data-entry-id'))!;
  await item.getByTestId('imaging-report-open').click();
  await expect(page.getByTestId('tab-timeline')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('timeline-detail')).toHaveAttribute('data-entry-id', entryId);
  await screenshot(page, 'imaging-report-02-report-entry');

  // The report's entry → its images.
  await page.getByTestId('open-report-images').click();
  await expect(page.getByTestId('tab-imaging')).toHaveAttribute('aria-selected', 'true');
  await expect(panel).toHaveAttribute('data-study-uid', CT_UID);
  await expect(page.getByTestId('imaging-report').getByTestId('imaging-report-impression')).toHaveText(DEMO_CT_IMPRESSION);

  // The key-image series the PACS refuses: the thumbnail and the viewer say why, and what is left.
  const broken = page.locator(`[data-testid="imaging-series-thumb"][data-series-uid="${KEY_IMAGE_SERIES}"]`);
  await expect(broken).toHaveAttribute('data-state', 'failed');
  await expect(broken).toHaveAttribute('data-code', 'pacs-failed');
  await broken.click();
  await expect(panel).toHaveAttribute('data-state', 'failed');
  const error = page.getByTestId('imaging-error');
  await expect(error).toHaveAttribute('data-code', 'pacs-failed');
  await expect(error).toHaveText('影像无法加载：PACS 出错（HTTP 500）。 本检查的其他序列仍可打开。 右侧的检查报告仍可阅读。');
  await expect(page.getByTestId('imaging-report')).toHaveAttribute('data-state', 'linked');
  await screenshot(page, 'imaging-report-03-series-failed');

  await cdaReportOfPrior(page);

  // The MR has no report yet (its order does: imaging-order-indication.spec.ts): the panel says so.
  await page.locator(`[data-testid="imaging-study"][data-study-uid="${MR_UID}"]`).click();
  await expect(panel).toHaveAttribute('data-study-uid', MR_UID);
  await expect(page.getByTestId('imaging-report')).toHaveAttribute('data-state', 'none');
  await expect(page.getByTestId('imaging-report-none')).toHaveText('尚无报告。');

  // In English: the same panel in the other catalog (the report's own words stay as written).
  await page.getByTestId('language-switch').selectOption('en');
  await page.getByTestId('imaging-study').first().click();
  const en = page.getByTestId('imaging-report');
  await expect(en).toHaveAttribute('data-state', 'linked');
  await expect(en.getByTestId('imaging-report-match')).toHaveText(/^Linked by .*(accession number|Study Instance UID)/);
  await expect(en).toContainText('Impression');
  await expect(en.getByTestId('imaging-report-open')).toHaveText('Open the report in the record');
  await screenshot(page, 'imaging-report-04-english');
  await page.locator(`[data-testid="imaging-study"][data-study-uid="${PRIOR_UID}"]`).click();
  await expect(en.getByTestId('imaging-report-findings')).toHaveText(DEMO_PRIOR_CT_FINDINGS);
  await expect(en).toContainText('Indication, as the report gives it');
  await expect(en.getByTestId('imaging-report-open-document')).toHaveText('Read the document as written');
  await screenshot(page, 'imaging-report-08-cda-english');
  await page.getByTestId('language-switch').selectOption('zh-CN');

  // Chromium logs the refused frames; Cornerstone leaves its promises rejected (pageerror "XMLHttpRequest").
  expect(problems.filter((p) => !p.includes('willReadFrequently') && !/status of 502|XMLHttpRequest/.test(p))).toEqual([]);
});

/**
 * The prior CT, from the current one: its CDA 检查报告 beside it (检查所见, 诊断意见, and the
 * order's 主诉 and clinical diagnosis as the indication); one click to the document as written in
 * the documents view and one back to the images; the same from the report's timeline entry.
 */
async function cdaReportOfPrior(page: Page): Promise<void> {
  const panel = page.locator('[data-tab-panel="imaging"]').getByTestId('imaging-panel');
  await page.getByTestId('imaging-open-prior').click();
  await expect(panel).toHaveAttribute('data-study-uid', PRIOR_UID);
  const report = page.getByTestId('imaging-report');
  await expect(report).toHaveAttribute('data-state', 'linked');
  const item = report.getByTestId('imaging-report-item');
  await expect(item).toHaveCount(1);
  await expect(item).toHaveAttribute('data-matched-by', /study-uid/);
  await expect(item.locator('h3')).toHaveText('检查报告 胸部CT平扫');
  await expect(item.getByTestId('imaging-report-findings')).toHaveText(DEMO_PRIOR_CT_FINDINGS);
  await expect(item.getByTestId('imaging-report-impression')).toHaveText(DEMO_PRIOR_CT_IMPRESSION);
  // The CDA's own clinical diagnosis and 主诉 stay with it; the HIS order's reason (once pushed: imaging-order-indication.spec.ts)
  // is shown under the order only.
  await expect(item.getByTestId('imaging-report-indication')).toHaveText(`肺结节待查；${DEMO_PRIOR_CT_COMPLAINT}`);
  await expect(report.getByTestId('imaging-report-item').getByTestId('imaging-report-indication')).not.toContainText(
    DEMO_PRIOR_CT_ORDER_REASON,
  );
  await expect(item.getByTestId('imaging-report-source')).toContainText('集成平台');
  await expect(item).toContainText('王影像 主治医师');
  await waitForImage(page.getByTestId('imaging-viewport'));
  await screenshot(page, 'imaging-report-05-cda-beside-prior');
  const entryId = (await item.getAttribute('data-entry-id'))!;

  // The report → the document as written → back to the images.
  await item.getByTestId('imaging-report-open-document').click();
  await expect(page.getByTestId('tab-documents')).toHaveAttribute('aria-selected', 'true');
  const reader = page.getByTestId('document-reader');
  await expect(reader.locator('.doc-reader__title')).toHaveText('检查报告 胸部CT平扫');
  await expect(reader.getByTestId('document-body')).toContainText(DEMO_PRIOR_CT_IMPRESSION);
  await screenshot(page, 'imaging-report-06-cda-document');
  await reader.getByTestId('document-open-images').click();
  await expect(page.getByTestId('tab-imaging')).toHaveAttribute('aria-selected', 'true');
  await expect(panel).toHaveAttribute('data-study-uid', PRIOR_UID);

  // The same report's timeline entry → its images.
  await page.getByTestId('imaging-report').getByTestId('imaging-report-open').click();
  await expect(page.getByTestId('tab-timeline')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('timeline-detail')).toHaveAttribute('data-entry-id', entryId);
  await screenshot(page, 'imaging-report-07-cda-timeline-entry');
  await page.getByTestId('open-report-images').click();
  await expect(page.getByTestId('tab-imaging')).toHaveAttribute('aria-selected', 'true');
  await expect(panel).toHaveAttribute('data-study-uid', PRIOR_UID);
}
