import { expect, test } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { HIS_DEMO_MRN } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { openAppAs, screenshot, watchConsole } from './support.ts';

const OPEN_TIMEOUT = 45_000;

/**
 * Unlink and re-link run against the shared browser host: the spec ends with the HIS record
 * linked to 张伟 again (by a confirmation), as the other specs expect.
 */
test('unlinking a system from 张伟 in the banner, then re-linking it', async ({ page }) => {
  const problems = watchConsole(page);
  await openAppAs(page);
  await page.getByTestId('patient-search-input').fill(DEMO_PATIENT.nameHanzi);
  await page.getByTestId('patient-search-input').press('Enter');
  const zhang = page
    .getByTestId('patient-result')
    .filter({ has: page.locator('[data-source-id="his"]') })
    .first();
  await zhang.click();
  const banner = page.getByTestId('patient-banner');
  await expect(banner).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
  const systems = page.getByTestId('patient-banner-systems');
  const his = systems.locator('[data-source-id="his"]');
  await expect(his).toBeVisible();

  // Why is the HIS record linked? The reasons expand under the systems.
  await his.click();
  const why = page.getByTestId('patient-banner-why');
  await expect(why).toContainText(HIS_DEMO_MRN);
  await expect(why).toContainText('身份证');
  await screenshot(page, 'identity-links-1-why');

  // Unlink, with the confirmation step and a note.
  await why.getByTestId('banner-unlink').click();
  await expect(why.getByTestId('banner-unlink-step')).toBeVisible();
  await why.getByTestId('banner-unlink-note').fill('e2e: not this patient');
  await screenshot(page, 'identity-links-2-confirm-unlink');
  await why.getByTestId('banner-unlink-confirm').click();

  // The search re-ran and the banner re-opened without the HIS record.
  await expect(systems.locator('[data-source-id="his"]')).toHaveCount(0, { timeout: OPEN_TIMEOUT });
  await expect(banner).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
  await expect(systems.locator('[data-source-id="cdr"]')).toBeVisible();
  const unlinked = page.getByTestId('patient-banner-unlinked-record').filter({ hasText: HIS_DEMO_MRN });
  await expect(unlinked).toContainText('e2e: not this patient');
  const separate = page.getByTestId('patient-result').filter({ has: page.locator('[data-source-id="his"]') });
  await expect(separate).toHaveCount(1);
  await expect(separate.locator('.ps-row__source')).toHaveCount(1);
  await screenshot(page, 'identity-links-3-unlinked');

  // Re-link from the keyboard: Enter on the action, a note, Enter to confirm.
  await unlinked.getByTestId('banner-relink').focus();
  await page.keyboard.press('Enter');
  await expect(unlinked.getByTestId('banner-relink-note')).toBeFocused();
  await page.keyboard.type('e2e: restored');
  await page.keyboard.press('Enter');
  await expect(systems.locator('[data-source-id="his"]')).toBeVisible({ timeout: OPEN_TIMEOUT });
  // The LIS record was unlinked from HIS too (it had joined through HIS's cross-reference): re-link it as well.
  await expect(page.getByTestId('patient-banner-unlinked-record')).toHaveCount(1);
  const lisRecord = page.locator('[data-testid="patient-banner-unlinked-record"][data-source-id="lis"]');
  await expect(lisRecord).toHaveCount(1);
  await lisRecord.getByTestId('banner-relink').click();
  await lisRecord.getByTestId('banner-relink-confirm').click();
  await expect(systems.locator('[data-source-id="lis"]')).toBeVisible({ timeout: OPEN_TIMEOUT });
  await expect(page.getByTestId('patient-banner-unlinked')).toHaveCount(0);
  await expect(banner).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
  await expect(page.getByTestId('patient-banner-link')).toHaveText(/同一|same/i);
  await screenshot(page, 'identity-links-4-relinked');
  expect(problems).toEqual([]);
});
