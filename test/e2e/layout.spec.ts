import { expect, test } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { openAppAs, openFromSearch, screenshot, watchConsole } from './support.ts';

test('the search sidebar collapses to give the record the width, and comes back with Alt+\\', async ({ page }) => {
  const problems = watchConsole(page);
  await openAppAs(page);
  await page.evaluate(() => localStorage.removeItem('huizhen.sidebar'));
  await openFromSearch(page, DEMO_PATIENT.nameHanzi);
  const banner = page.getByTestId('patient-banner');
  const wide = (await banner.boundingBox())!.width;

  await page.getByTestId('search-sidebar-toggle').click();
  await expect(page.getByTestId('search-sidebar')).toHaveAttribute('data-open', 'false');
  await expect(page.getByTestId('patient-search-input')).toBeHidden();
  await expect.poll(async () => (await banner.boundingBox())!.width).toBeGreaterThan(wide + 200);
  await screenshot(page, 'layout-1-sidebar-collapsed');

  // Remembered across a reload, then back from the keyboard.
  await page.reload();
  await expect(page.getByTestId('search-sidebar')).toHaveAttribute('data-open', 'false');
  await page.keyboard.press('Alt+\\');
  await expect(page.getByTestId('patient-search-input')).toBeVisible();
  await page.evaluate(() => localStorage.removeItem('huizhen.sidebar'));
  expect(problems).toEqual([]);
});
