import { expect, test, type Page } from '@playwright/test';
import { serveOwnWorkstation, signInToOwn, type OwnWorkstation } from './own-workstation.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { startFreezableHospital, type FreezableHospital } from '../support/outage-hospital.ts';
import { OPEN_TIMEOUT, screenshot, watchConsole } from './support.ts';

/**
 * A hospital of this spec's own in a child process, frozen with SIGSTOP: its systems accept
 * connections and never answer, as in a hung network. The search deadline is long so that
 * "candidates before the deadline" cannot be a near miss.
 */
const SEARCH_DEADLINE_MS = 20_000;
let hospital: FreezableHospital;
let served: OwnWorkstation;

test.beforeAll(async () => {
  hospital = await startFreezableHospital();
  served = await serveOwnWorkstation(hospital.config, 'search-outage', SEARCH_DEADLINE_MS);
});
test.afterAll(async () => {
  await served?.close();
  await hospital?.stop();
});

async function searchZhang(page: Page): Promise<void> {
  const input = page.getByTestId('patient-search-input');
  await input.fill(DEMO_PATIENT.nameHanzi);
  await input.press('Enter');
}

test('every system hung: a search lists the cached patient at once and names the systems it still waits for', async ({ page }) => {
  test.setTimeout(3 * SEARCH_DEADLINE_MS + 60_000);
  const problems = watchConsole(page);
  await signInToOwn(page, served);
  // A day's work: the patient was found and opened while the systems answered.
  await searchZhang(page);
  await expect(page.getByTestId('patient-search-status')).toContainText('找到');
  await expect(page.getByTestId('patient-search-pending')).toHaveCount(0);
  // Every system answered: nothing is marked as the cache's.
  await expect(page.getByTestId('patient-result-cached')).toHaveCount(0);
  await page.getByTestId('patient-result').first().click();
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
  await page.getByTestId('patient-banner-close').click();
  await expect(page.getByTestId('patient-search-pending')).toHaveCount(0);

  hospital.freeze();
  try {
    const started = Date.now();
    await searchZhang(page);
    const pending = page.getByTestId('patient-search-pending');
    // The cached patient is listed while the hung systems are still awaited, long before their deadline.
    await expect(page.getByTestId('patient-result').first()).toBeVisible({ timeout: SEARCH_DEADLINE_MS / 2 });
    await expect(pending).toBeVisible();
    expect(Date.now() - started).toBeLessThan(SEARCH_DEADLINE_MS);
    await expect(pending).toContainText('仍在等待');
    await expect(pending).toHaveAttribute('data-pending', /cdr/);
    await expect(page.getByTestId('patient-search-status')).toContainText('已找到');
    const mark = page.getByTestId('patient-result').first().getByTestId('patient-result-cached');
    await expect(mark).toContainText('缓存于');
    await screenshot(page, 'search-outage-1-cached-while-waiting');
    // At the deadline the search settles: nothing is pending any more, and the patient no
    // system returned stays marked as the cache's, with the date and time it was cached.
    await expect(pending).toHaveCount(0, { timeout: SEARCH_DEADLINE_MS + 20_000 });
    await expect(page.getByTestId('patient-search-status')).toContainText('找到');
    await expect(mark).toHaveAttribute('data-only', 'true');
    await expect(mark).toContainText(/仅在本机缓存中找到 · 缓存于 .*\d{1,2}:\d{2}/);
    await expect(mark).toHaveAttribute('data-cached-sources', /cdr/);
    await screenshot(page, 'search-outage-2-settled');
  } finally {
    hospital.thaw();
  }
  expect(problems).toEqual([]);
});
