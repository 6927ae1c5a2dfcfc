import { expect, test, type Locator, type Page } from '@playwright/test';
import { DEFAULT_SEED } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { DEMO_CURRENT_CT, demoStudyUid, derivedUid } from '../../src/demo-hospital/synthetic/dicom-uid.ts';
import { waitForImage } from '../support/imaging-canvas.ts';
import { openImagingAs, screenshot, watchConsole } from './support.ts';

/**
 * The viewer's failure states in the app itself, as the radiologist meets them: a study whose
 * series list the PACS refuses shows nothing of the study shown before it (no pixels, no image
 * number, no window), and a message that offers only what can still be opened: another series
 * when one works, else the patient's other studies by name, and the report when one is linked.
 */
const CT_UID = demoStudyUid(DEFAULT_SEED, DEMO_CURRENT_CT.key);
/** 张伟's brain MR (three series, no report). */
const MR_UID = demoStudyUid(DEFAULT_SEED, 'mr-2023');
/** The CT's key-image series (number 3), as the demo PACS seeds it. */
const KEY_IMAGE_SERIES = derivedUid(DEFAULT_SEED, `series/${CT_UID}/3`);

/** What the proxy answers when the PACS fails with HTTP 500 (its code and the PACS's status). */
const PACS_FAILED = {
  status: 502,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'x-huizhen-error': 'pacs-failed', 'x-huizhen-pacs-status': '500' },
  body: 'PACS failed (HTTP 500)\n',
};

/** The share of lit pixels over every canvas in the viewport (none drawn: 0). */
async function litShare(viewport: Locator): Promise<number> {
  return viewport.evaluate((node) => {
    let lit = 0;
    let all = 0;
    for (const canvas of node.querySelectorAll('canvas')) {
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4) {
        all++;
        if (data[i]! + data[i + 1]! + data[i + 2]! > 48) lit++;
      }
    }
    return all === 0 ? 0 : lit / all;
  });
}

async function openImagingAsRadiologist(page: Page): Promise<Locator> {
  const panel = await openImagingAs(page, 'radiologist', CT_UID);
  await waitForImage(page.getByTestId('imaging-viewport'));
  return panel;
}

test('a study whose series list fails shows nothing of the study before it, and names what can still be opened', async ({ page }) => {
  const problems = watchConsole(page);
  await page.route(`**/studies/${MR_UID}/series`, (route) => route.fulfill(PACS_FAILED));
  const panel = await openImagingAsRadiologist(page);
  const viewport = page.getByTestId('imaging-viewport');
  // The CT is on screen with its readout.
  await expect(page.getByTestId('imaging-overlay-image')).toHaveText(/\d+ \/ \d+$/);
  await expect(page.getByTestId('imaging-overlay-window')).toHaveText(/^W \d+ L -?\d+$/);

  await page.locator(`[data-testid="imaging-study"][data-study-uid="${MR_UID}"]`).click();
  await expect(panel).toHaveAttribute('data-study-uid', MR_UID);
  await expect(panel).toHaveAttribute('data-state', 'failed');
  const error = page.getByTestId('imaging-error');
  await expect(error).toHaveAttribute('data-code', 'pacs-failed');
  // Nothing of the CT: no pixels, no image number, no window, no series.
  expect(await litShare(viewport)).toBe(0);
  // The CT's canvas went with its viewport element; the MR's never mounted one.
  await expect(viewport.locator('canvas')).toHaveCount(0);
  await expect(viewport).toHaveAttribute('data-image-count', '0');
  await expect(viewport).toHaveAttribute('data-series-uid', '');
  await expect(viewport).toHaveAttribute('data-window-width', '');
  await expect(page.getByTestId('imaging-overlay-image')).toHaveText('图像');
  await expect(page.getByTestId('imaging-overlay-window')).toHaveText('');
  await expect(page.getByTestId('imaging-overlay-patient')).toHaveText('');
  await expect(page.getByTestId('imaging-series-thumb')).toHaveCount(0);
  await expect(page.getByTestId('imaging-compare-cell')).toHaveCount(0);
  // No series of the MR can be listed: its other studies can be opened, by name; it has no report.
  await expect(error).toHaveAttribute('data-hint', 'other-studies');
  await expect(error).toHaveText(
    '影像无法加载：PACS 出错（HTTP 500）。 可打开本患者的其他检查：2025-05-20 CT 胸部平扫 Chest CT、2024-03-11 CT 胸部平扫 Chest CT。',
  );
  await expect(page.getByTestId('imaging-error-show-report')).toHaveCount(0);
  await screenshot(page, 'imaging-failure-01-series-list-failed');
  // Still nothing of the CT a moment later (a late render of the old stack would light the canvas).
  await expect(page.getByTestId('imaging-error')).toBeVisible();
  expect(await litShare(viewport)).toBe(0);

  // Back to the CT: its own image again.
  await page.locator(`[data-testid="imaging-study"][data-study-uid="${CT_UID}"]`).click();
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await waitForImage(viewport);
  expect(problems.filter((p) => !p.includes('willReadFrequently') && !/status of 502/.test(p))).toEqual([]);
});

test('every series of a study failing: the message offers other studies, not other series; a linked report is one click away', async ({
  page,
}) => {
  // Frames and whole instances: a refused frame is otherwise cut from its stored instance (pixel-fixes.ts).
  await page.route(`**/studies/${MR_UID}/series/*/instances/**`, (route) => route.fulfill(PACS_FAILED));
  await page.route(`**/series/${KEY_IMAGE_SERIES}/instances/**`, (route) => route.fulfill(PACS_FAILED));
  const panel = await openImagingAsRadiologist(page);
  await page.locator(`[data-testid="imaging-study"][data-study-uid="${MR_UID}"]`).click();
  await expect(panel).toHaveAttribute('data-study-uid', MR_UID);
  const thumbs = page.getByTestId('imaging-series-thumb');
  await expect(thumbs).toHaveCount(3);
  for (const thumb of await thumbs.all()) await expect(thumb).toHaveAttribute('data-state', 'failed');
  const error = page.getByTestId('imaging-error');
  await expect(error).toHaveAttribute('data-hint', 'other-studies');
  await expect(error).not.toContainText('其他序列');
  await expect(error).toContainText('可打开本患者的其他检查：2025-05-20 CT 胸部平扫 Chest CT');
  await screenshot(page, 'imaging-failure-02-all-series-failed');

  // In English, the same truth.
  await page.getByTestId('language-switch').selectOption('en');
  await expect(error).toContainText('Other studies of this patient can be opened: 2025-05-20 CT 胸部平扫 Chest CT; 2024-03-11');
  await page.getByTestId('language-switch').selectOption('zh-CN');

  // The CT's key-image series failing while its main series works: "other series", and the report button.
  await page.locator(`[data-testid="imaging-study"][data-study-uid="${CT_UID}"]`).click();
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  // The report pane folded away: the failure's "show the report" opens it and takes the reader there.
  await page.getByTestId('imaging-toggle-report').click();
  await expect(page.getByTestId('imaging-report')).toHaveCount(0);
  const keyImage = page.locator(`[data-testid="imaging-series-thumb"][data-series-uid="${KEY_IMAGE_SERIES}"]`);
  await expect(keyImage).toHaveAttribute('data-state', 'failed');
  await keyImage.click();
  await expect(panel).toHaveAttribute('data-state', 'failed');
  await expect(error).toHaveAttribute('data-hint', 'other-series');
  await expect(error).toHaveText('影像无法加载：PACS 出错（HTTP 500）。 本检查的其他序列仍可打开。 右侧的检查报告仍可阅读。');
  await page.getByTestId('imaging-error-show-report').click();
  await expect(page.getByTestId('imaging-report')).toHaveAttribute('data-state', 'linked');
  await expect(page.getByTestId('imaging-report')).toBeFocused();
  await expect(page.getByTestId('imaging-toggle-report')).toHaveAttribute('aria-pressed', 'true');
  await screenshot(page, 'imaging-failure-03-series-failed-report-shown');
});
