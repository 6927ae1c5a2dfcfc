import { expect, test } from '@playwright/test';
import { DEFAULT_SEED } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { DEMO_CURRENT_CT, demoStudyUid } from '../../src/demo-hospital/synthetic/dicom-uid.ts';
import { waitForImage } from '../support/imaging-canvas.ts';
import { openAppAs, openImagingAs, screenshot, watchConsole } from './support.ts';

/**
 * At 1280×800 the imaging viewer needs the search sidebar's width: the sidebar folds by itself
 * while the viewer is shown, opens again on demand (button or Alt+\), and the reader's own
 * choice comes back on the other views; on a wide window nothing folds.
 */
const CT_UID = demoStudyUid(DEFAULT_SEED, DEMO_CURRENT_CT.key);

test('the search sidebar folds for the viewer at 1280×800, opens on demand, and comes back on the other views', async ({ page }) => {
  const problems = watchConsole(page);
  await openAppAs(page, 'radiologist');
  await page.evaluate(() => localStorage.removeItem('huizhen.sidebar'));
  await openImagingAs(page, 'radiologist', CT_UID);
  const sidebar = page.getByTestId('search-sidebar');
  const main = page.getByTestId('imaging-main');
  const viewport = page.getByTestId('imaging-viewport');
  await waitForImage(viewport);

  // Folded by itself: the viewer has the width the sidebar had (320 px less a 34 px strip).
  await expect(sidebar).toHaveAttribute('data-open', 'false');
  await expect(sidebar).toHaveAttribute('data-folded-for-viewer', 'true');
  await expect(page.getByTestId('patient-search-input')).toBeHidden();
  await expect(page.getByTestId('search-sidebar-toggle')).toHaveAttribute('title', /已自动收起/);
  const folded = (await main.boundingBox())!;
  const sideBox = (await sidebar.boundingBox())!;
  expect(sideBox.width).toBeLessThan(40);
  const panelBox = (await page.locator('[data-tab-panel="imaging"]').getByTestId('imaging-panel').boundingBox())!;
  expect(panelBox.x).toBeLessThan(sideBox.x + sideBox.width + 16);
  expect(panelBox.width).toBeGreaterThan(1280 - 34 - 32);
  await screenshot(page, 'sidebar-fold-1-viewer-1280');

  // On demand: the button opens it, the viewer gives the width back, and the images still draw.
  await page.getByTestId('search-sidebar-toggle').click();
  await expect(sidebar).toHaveAttribute('data-open', 'true');
  await expect(sidebar).toHaveAttribute('data-folded-for-viewer', 'false');
  await expect(page.getByTestId('patient-search-input')).toBeVisible();
  await expect.poll(async () => (await main.boundingBox())!.width).toBeLessThan(folded.width - 250);
  await waitForImage(viewport);
  await screenshot(page, 'sidebar-fold-2-opened-on-demand');
  // …and Alt+\ folds it again while the viewer stays.
  await viewport.focus();
  await page.keyboard.press('Alt+\\');
  await expect(sidebar).toHaveAttribute('data-open', 'false');
  await expect.poll(async () => (await main.boundingBox())!.width).toBeGreaterThan(folded.width - 2);

  // Another view: the reader's own choice (open) is back; the viewer again: folded again.
  await page.getByTestId('tab-timeline').click();
  await expect(sidebar).toHaveAttribute('data-open', 'true');
  await expect(page.getByTestId('patient-search-input')).toBeVisible();
  await page.getByTestId('tab-imaging').click();
  await expect(sidebar).toHaveAttribute('data-folded-for-viewer', 'true');

  // A wide window has room for both: nothing folds.
  await page.setViewportSize({ width: 1600, height: 900 });
  await expect(sidebar).toHaveAttribute('data-open', 'true');
  await expect(sidebar).toHaveAttribute('data-folded-for-viewer', 'false');
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(sidebar).toHaveAttribute('data-folded-for-viewer', 'true');
  expect(await page.evaluate(() => localStorage.getItem('huizhen.sidebar'))).toBe('open');
  expect(problems.filter((p) => !p.includes('willReadFrequently'))).toEqual([]);
});
