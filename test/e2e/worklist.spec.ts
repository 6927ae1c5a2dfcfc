import { expect, test } from '@playwright/test';
import { OPEN_TIMEOUT, openAppAs, screenshot, watchConsole } from './support.ts';

/**
 * The ward doctor's start: signed in, the ward's patients by bed (from the demo hospital's
 * census), which have new results, one opened with the keyboard, and back to the ward.
 */
test('the ward doctor signs in, sees the ward with new results, opens a patient with Enter and goes back', async ({ page }) => {
  const problems = watchConsole(page);
  await openAppAs(page, 'doctor');
  const worklist = page.getByTestId('worklist');
  await expect(worklist).toBeVisible();
  await expect(worklist.getByRole('heading', { name: '病区患者' })).toBeVisible();
  // Completed live from the systems, not only painted from the cache.
  await expect(page.getByTestId('worklist-state')).toHaveAttribute('data-live', 'done', { timeout: OPEN_TIMEOUT });
  const rows = page.getByTestId('worklist-row');
  expect(await rows.count()).toBeGreaterThanOrEqual(20);
  await expect(rows.first()).toContainText('第');
  await expect(page.getByTestId('worklist-new-results').first()).toBeVisible();
  expect(await page.locator('[data-testid="worklist-new-results"][data-critical]:not([data-critical="0"])').count()).toBeGreaterThan(0);
  await screenshot(page, 'worklist-zh-CN');

  // "Mine": only the patients the doctor attends, each marked.
  const all = await rows.count();
  await page.getByTestId('worklist-mine').check();
  await expect.poll(() => rows.count()).toBeLessThan(all);
  expect(await rows.count()).toBeGreaterThan(0);
  await expect(rows.first()).toContainText('我的');
  await page.getByTestId('worklist-mine').uncheck();

  // Keyboard: ↓ to the first bed (not the first row) with new results, Enter opens it.
  const target = await rows.evaluateAll((all) =>
    all.findIndex((row, i) => i > 0 && row.querySelector('[data-testid="worklist-new-results"]')),
  );
  expect(target).toBeGreaterThan(0);
  const table = page.getByTestId('worklist-table');
  await table.focus();
  for (let i = 0; i < target; i++) await table.press('ArrowDown');
  await expect(rows.nth(target)).toHaveAttribute('aria-selected', 'true');
  const name = (await rows.nth(target).locator('.wl__name').textContent())?.replace('我的', '').trim() ?? '';
  await table.press('Enter');
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
  await expect(page.getByTestId('patient-banner')).toContainText(name);
  // What is new since the last look (never opened: since admission) is marked in the timeline.
  await page.getByRole('tab', { name: '时间轴' }).click();
  await expect(page.getByTestId('new-since-mark').first()).toBeVisible();
  await screenshot(page, 'worklist-opened-zh-CN');

  // Back to the ward with Alt+W; the opened patient's results are no longer new.
  await page.keyboard.press('Alt+w');
  await expect(worklist).toBeVisible();
  await expect(page.getByTestId('worklist-state')).toHaveAttribute('data-live', 'done', { timeout: OPEN_TIMEOUT });
  await expect(rows.nth(target).getByTestId('worklist-new-results')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('the nurse starts from the ward list too; the button leads back from an open patient', async ({ page }) => {
  await openAppAs(page, 'nurse');
  await expect(page.getByTestId('worklist')).toBeVisible();
  await expect(page.getByTestId('worklist-state')).toHaveAttribute('data-live', 'done', { timeout: OPEN_TIMEOUT });
  await page.getByTestId('worklist-row').first().dblclick();
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
  await page.getByTestId('worklist-back').click();
  await expect(page.getByTestId('worklist')).toBeVisible();
});
