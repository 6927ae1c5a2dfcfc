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

test('a long query stays inside the search sidebar, and so do its results', async ({ page }) => {
  const problems = watchConsole(page);
  await openAppAs(page);
  await page.evaluate(() => localStorage.removeItem('huizhen.sidebar'));
  const sidebar = page.getByTestId('search-sidebar');
  const input = page.getByTestId('patient-search-input');
  const long = `张伟 ${'X'.repeat(180)}`;
  await input.fill(long);
  await input.press('Enter');
  await expect(page.getByTestId('patient-search-status')).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  const box = (await sidebar.boundingBox())!;
  // Nothing the search shows may stick out of the sidebar or make it scroll sideways.
  const outside = await sidebar.evaluate((root) => {
    const edge = root.getBoundingClientRect().right + 1;
    return [...root.querySelectorAll<HTMLElement>('*')]
      .filter((e) => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > edge)
      .map((e) => e.getAttribute('data-testid') ?? e.tagName);
  });
  expect(outside).toEqual([]);
  expect(await sidebar.evaluate((root) => root.scrollWidth <= root.clientWidth + 1)).toBe(true);
  expect(box.width).toBeLessThan(600);
  await screenshot(page, 'layout-2-long-query');
  expect(problems).toEqual([]);
});
