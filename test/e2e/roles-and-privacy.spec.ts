import { expect, test, type Page } from '@playwright/test';
import { DEMO_PACS_PATIENT_ID } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { openAppAs, screenshot, searchSettled, showTimeline, watchConsole } from './support.ts';

/** Opens take long on a loaded machine: expectations wait on the banner's own state. */
const OPEN_TIMEOUT = 45_000;
/** 110101196803120132 as every masked view prints it: region code and last four only. */
const MASKED_RESIDENT_ID = '110101********0132';

async function openDemoPatient(page: Page): Promise<void> {
  const search = page.getByTestId('patient-search-input');
  await search.fill(DEMO_PATIENT.residentId);
  await search.press('Enter');
  await expect(page.getByTestId('patient-result')).toHaveCount(1, { timeout: OPEN_TIMEOUT });
  await searchSettled(page);
  await search.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
}

test.describe('roles and privacy mode (issue 17)', () => {
  test('privacy mode re-masks 张伟 in place: still open, 张* and the 身份证 masked; off, whole again', async ({ page }) => {
    const problems = watchConsole(page);
    await openAppAs(page, 'doctor');
    await openDemoPatient(page);
    const banner = page.getByTestId('patient-banner');
    const name = page.getByTestId('patient-banner-name');
    await expect(name).toHaveText(DEMO_PATIENT.nameHanzi);
    await expect(banner).toContainText(DEMO_PATIENT.residentId);
    // Privacy mode keeps the tab the doctor was on (here the timeline, not the summary they land on).
    await showTimeline(page);
    await expect(page.getByTestId('timeline-entry').first()).toBeVisible();
    const entries = await page.getByTestId('timeline-entry').count();
    expect(entries).toBeGreaterThan(0);

    await page.getByTestId('privacy-mode').click();
    await expect(page.getByTestId('privacy-mode')).toHaveAttribute('aria-pressed', 'true');
    await expect(name).toHaveText('张*');
    // The same open, not a new one: still open, the same timeline, nothing of him left whole anywhere.
    await expect(banner).toHaveAttribute('data-state', 'open');
    await expect(banner).toContainText(MASKED_RESIDENT_ID);
    await expect(page.getByTestId('timeline-entry')).toHaveCount(entries);
    await expect(page.getByTestId('access-masked')).toBeVisible();
    await expect(page.locator('body')).not.toContainText(DEMO_PATIENT.residentId);
    await expect(page.locator('body')).not.toContainText(DEMO_PATIENT.nameHanzi);
    await expect(page.getByTestId('patient-search-input')).toHaveValue('');
    await screenshot(page, 'roles-01-privacy-on-in-place');

    await page.getByTestId('privacy-mode').click();
    await expect(page.getByTestId('privacy-mode')).toHaveAttribute('aria-pressed', 'false');
    await expect(name).toHaveText(DEMO_PATIENT.nameHanzi);
    await expect(banner).toHaveAttribute('data-state', 'open');
    await expect(banner).toContainText(DEMO_PATIENT.residentId);
    await expect(page.getByTestId('timeline-entry')).toHaveCount(entries);
    await screenshot(page, 'roles-02-privacy-off-again');
    expect(problems).toEqual([]);
  });

  test('the nurse checks two identifiers: name and MRN whole, the 身份证 masked', async ({ page }) => {
    await openAppAs(page, 'nurse');
    await openDemoPatient(page);
    const banner = page.getByTestId('patient-banner');
    await expect(page.getByTestId('patient-banner-name')).toHaveText(DEMO_PATIENT.nameHanzi);
    await expect(banner).toContainText(DEMO_PATIENT.mrn);
    await expect(banner).toContainText(MASKED_RESIDENT_ID);
    await expect(page.getByTestId('access-masked')).toHaveText('身份证号已遮蔽');
    await expect(page.locator('body')).not.toContainText(DEMO_PATIENT.residentId);
    await screenshot(page, 'roles-03-nurse-name-and-mrn');
  });

  test('the radiologist: banner and image overlay agree on the name; MRN shown, 身份证 masked', async ({ page }) => {
    await openAppAs(page, 'radiologist');
    await openDemoPatient(page);
    const banner = page.getByTestId('patient-banner');
    const bannerName = page.getByTestId('patient-banner-name');
    await expect(bannerName).toHaveText(DEMO_PATIENT.nameHanzi);
    await expect(banner).toContainText(DEMO_PATIENT.mrn);
    await expect(banner).toContainText(MASKED_RESIDENT_ID);
    await page.getByTestId('tab-imaging').click();
    const panel = page.locator('[data-tab-panel="imaging"]').getByTestId('imaging-panel');
    await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: OPEN_TIMEOUT });
    const overlay = page.getByTestId('imaging-overlay');
    await expect(overlay).toHaveAttribute('data-masked', 'false');
    await expect(page.getByTestId('imaging-overlay-patient')).toHaveText(DEMO_PATIENT.nameHanzi);
    expect(await page.getByTestId('imaging-overlay-patient').textContent()).toBe(await bannerName.textContent());
    // The PACS's own patient id is its MRN: shown whole, as the banner shows the MRNs.
    await expect(overlay).toContainText(DEMO_PACS_PATIENT_ID);
    await expect(page.locator('body')).not.toContainText(DEMO_PATIENT.residentId);
    await screenshot(page, 'roles-04-radiologist-overlay-and-banner');
  });

  test('the administrator lands on the system view: sources, their state, check now; no patient search', async ({ page }) => {
    const problems = watchConsole(page);
    await openAppAs(page, 'admin');
    await expect(page.getByTestId('session-roles')).toHaveText('系统管理员');
    await expect(page.getByTestId('system-view')).toBeVisible();
    await expect(page.getByTestId('patient-search-input')).toHaveCount(0);
    const rows = page.getByTestId('system-source');
    await expect(rows.first()).toBeVisible();
    const count = await rows.count();
    expect(count).toBeGreaterThanOrEqual(4);
    await page.getByTestId('system-check-now').click();
    await expect(page.getByTestId('system-check-status')).toHaveAttribute('data-state', 'done', { timeout: OPEN_TIMEOUT });
    // Every source answered the probe with a verdict, and the demo hospital's are all up.
    await expect(page.locator('[data-testid="system-probe"][data-ok="true"]')).toHaveCount(count);
    await expect(page.locator('body')).not.toContainText('请检查网络后重试');
    await screenshot(page, 'roles-05-admin-system-view');
    expect(problems).toEqual([]);
  });
});
