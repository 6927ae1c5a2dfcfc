import { expect, test } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { dragAcross, waitForChange, waitForImage } from '../support/imaging-canvas.ts';
import { openAppAs, screenshot, watchConsole } from './support.ts';
import { viewerControl } from './viewer-tools.ts';

/**
 * A radiologist's path through the app itself: find 张伟, open him, open the imaging tab, and
 * read his CT inline — window, scroll, measure — through the app's own /dicom-web/ endpoint
 * (the browser host's DICOMweb proxy, as the imaging tab uses it).
 */
test('open 张伟’s CT inline from the imaging tab: window, scroll and measure', async ({ page }) => {
  const problems = watchConsole(page);
  await openAppAs(page);
  const search = page.getByTestId('patient-search-input');
  await search.fill(DEMO_PATIENT.nameHanzi);
  await search.press('Enter');
  await expect(page.getByTestId('patient-result').filter({ hasText: DEMO_PATIENT.nameHanzi })).toHaveCount(1);
  await search.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open');

  const tab = page.getByTestId('tab-imaging');
  await expect(tab).toBeVisible({ timeout: 20_000 });
  await tab.click();
  const tabPanel = page.locator('[data-tab-panel="imaging"]');
  await expect(tabPanel).toBeVisible();
  const panel = tabPanel.getByTestId('imaging-panel');
  await expect(panel).toBeVisible();

  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  const viewport = tabPanel.getByTestId('imaging-viewport');
  const first = await waitForImage(viewport);
  await expect(page.getByTestId('imaging-series-thumb').first()).toHaveAttribute('data-state', 'ready');
  await screenshot(page, 'imaging-app-01-ct-inline');

  await page.getByTestId('imaging-preset').selectOption('lung');
  await expect(viewport).toHaveAttribute('data-window-width', '1500');
  await expect(viewport).toHaveAttribute('data-window-center', '-600');
  const lung = await waitForChange(viewport, first);

  const index = Number(await viewport.getAttribute('data-image-index'));
  await viewport.focus();
  await page.keyboard.press('ArrowDown');
  await expect(viewport).toHaveAttribute('data-image-index', String(index + 1));
  await waitForChange(viewport, lung);

  await (await viewerControl(page, 'imaging-tool-length')).click();
  await dragAcross(page, viewport, [0.35, 0.5], [0.65, 0.5]);
  await expect(viewport).toHaveAttribute('data-measurements', '1');
  await expect(viewport.locator('svg')).toContainText('mm');
  await screenshot(page, 'imaging-app-02-lung-measured');

  expect(problems.filter((p) => !p.includes('willReadFrequently'))).toEqual([]);
});
