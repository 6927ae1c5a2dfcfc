import { expect, test, type Page } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { hostOrigin, openAppAs, screenshot, searchSettled, watchConsole } from './support.ts';

const OPEN_TIMEOUT = 45_000;

async function openDemoPatient(page: Page, query: string = DEMO_PATIENT.residentId): Promise<void> {
  const search = page.getByTestId('patient-search-input');
  await search.fill(query);
  await search.press('Enter');
  await searchSettled(page);
  await expect(page.getByTestId('patient-result')).toHaveCount(1, { timeout: OPEN_TIMEOUT });
  await search.press('ArrowDown');
  await page.keyboard.press('Enter');
}

test.describe('sign-in, roles, privacy and break-the-glass', () => {
  test('signs in through the screen: a wrong password is refused, the right one opens the workstation', async ({ page }) => {
    const problems = watchConsole(page);
    const origin = hostOrigin();
    await page.request.post(`${origin}/api/signOut`, { data: {}, headers: { origin } });
    await page.goto(`${origin}/`);
    await expect(page.getByTestId('sign-in-screen')).toBeVisible();
    await expect(page.getByTestId('sign-in-oidc')).toBeVisible();
    await expect(page.getByTestId('patient-search-input')).toHaveCount(0);
    await screenshot(page, '20-sign-in');
    await page.getByTestId('sign-in-username').fill('doctor');
    await page.getByTestId('sign-in-password').fill('wrong-password');
    await page.getByTestId('sign-in-submit').click();
    await expect(page.getByTestId('sign-in-error')).toHaveText('用户名或密码错误');
    await screenshot(page, '20b-sign-in-refused');
    await page.getByTestId('sign-in-password').fill('huizhen-demo');
    await page.getByTestId('sign-in-submit').click();
    await expect(page.getByTestId('session-user')).toContainText('李医生');
    await expect(page.getByTestId('session-roles')).toHaveText('病房医生');
    await expect(page.getByTestId('patient-search-input')).toBeVisible();
    // The refused attempt logged a 401 in the console; nothing else may.
    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
  });

  test('signs in with the hospital identity provider: the IdP page opens, the code comes back to main on loopback', async ({
    page,
    context,
  }) => {
    const origin = hostOrigin();
    await page.request.post(`${origin}/api/signOut`, { data: {}, headers: { origin } });
    await page.goto(`${origin}/`);
    const popup = context.waitForEvent('page');
    await page.getByTestId('sign-in-oidc').click();
    await expect(page.getByTestId('sign-in-oidc-waiting')).toBeVisible();
    const idp = await popup;
    await idp.waitForLoadState();
    await idp.locator('input[name="username"]').fill('radiologist');
    await idp.locator('input[name="password"]').fill('huizhen-demo');
    await idp.getByRole('button', { name: /登录/ }).click();
    // The IdP redirects to main's loopback listener, which ends the page with "return to Huizhen".
    await expect(idp.locator('body')).toContainText(/Huizhen|汇诊/, { timeout: 20_000 });
    await screenshot(idp, '26-oidc-callback');
    await idp.close();
    await expect(page.getByTestId('session-user')).toContainText('王影像', { timeout: 20_000 });
    await expect(page.getByTestId('session-roles')).toHaveText('放射科医生');
  });

  test('the attending doctor sees everything; locking hides the patient until the password unlocks it', async ({ page }) => {
    await openAppAs(page, 'doctor');
    await openDemoPatient(page);
    await expect(page.getByTestId('access-basis')).toHaveText('主治患者', { timeout: OPEN_TIMEOUT });
    await expect(page.getByTestId('patient-banner')).toContainText(DEMO_PATIENT.residentId);
    // The imaging tab comes with the PACS's part of the open, which a loaded machine delivers late.
    await expect(page.getByTestId('tab-imaging')).toBeVisible({ timeout: OPEN_TIMEOUT });
    await page.getByTestId('patient-banner-system').nth(1).click();
    await expect(page.getByTestId('banner-unlink')).toBeVisible();
    await page.getByTestId('session-lock').click();
    await expect(page.getByTestId('lock-screen')).toBeVisible();
    await expect(page.getByTestId('patient-banner')).toBeHidden();
    await screenshot(page, '21-locked');
    await page.getByTestId('unlock-password').fill('huizhen-demo');
    await page.getByTestId('unlock-submit').click();
    await expect(page.getByTestId('lock-screen')).toHaveCount(0);
    await expect(page.getByTestId('patient-banner-name')).toHaveText(DEMO_PATIENT.nameHanzi);
  });

  test('a nurse on his ward reads him without notes or images, his 身份证 masked', async ({ page }) => {
    await openAppAs(page, 'nurse');
    await openDemoPatient(page);
    await expect(page.getByTestId('access-basis')).toHaveText('本病区患者', { timeout: OPEN_TIMEOUT });
    await expect(page.getByTestId('access-withheld')).toBeVisible();
    await expect(page.getByTestId('access-masked')).toBeVisible();
    const banner = page.getByTestId('patient-banner');
    await expect(banner).toContainText('110101********0132');
    await expect(banner).not.toContainText(DEMO_PATIENT.residentId);
    await expect(page.getByTestId('patient-banner-progress')).toContainText(/\d/, { timeout: OPEN_TIMEOUT });
    await expect(page.getByTestId('tab-imaging')).toHaveCount(0);
    await expect(page.getByTestId('tab-documents')).toHaveCount(0);
    await expect(page.getByTestId('export-timeline')).toHaveCount(0);
    // Linking records is a doctor's decision: no unlink control for a nurse.
    await page.getByTestId('patient-banner-system').nth(1).click();
    await expect(page.getByTestId('patient-banner-system').nth(1)).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByTestId('banner-unlink')).toHaveCount(0);
    await screenshot(page, '22-nurse');
  });

  test('privacy mode masks the name and 身份证 for screen sharing', async ({ page }) => {
    await openAppAs(page, 'doctor');
    await page.getByTestId('privacy-mode').click();
    await expect(page.getByTestId('privacy-mode')).toHaveAttribute('aria-pressed', 'true');
    await openDemoPatient(page);
    await expect(page.getByTestId('patient-banner-name')).toHaveText('张*', { timeout: OPEN_TIMEOUT });
    await expect(page.getByTestId('patient-banner')).not.toContainText(DEMO_PATIENT.residentId);
    await expect(page.getByTestId('access-masked')).toBeVisible();
    await screenshot(page, '23-privacy-mode');
    await page.getByTestId('privacy-mode').click();
    await expect(page.getByTestId('privacy-mode')).toHaveAttribute('aria-pressed', 'false');
  });

  test('a patient outside the rules needs break-the-glass: a reason, then a red time-limited flag', async ({ page }) => {
    const other = generateSyntheticHospital().patients[3]!;
    await openAppAs(page, 'doctor');
    await openDemoPatient(page, other.mrn);
    const denied = page.getByTestId('access-denied');
    await expect(denied).toBeVisible({ timeout: OPEN_TIMEOUT });
    await expect(page.getByTestId('break-glass-submit')).toBeDisabled();
    await screenshot(page, '24-access-denied');
    await page.getByTestId('break-glass-reason').fill('急诊会诊：患者意识不清，需要查看既往史');
    await page.getByTestId('break-glass-submit').click();
    await expect(page.getByTestId('access-break-glass')).toBeVisible({ timeout: OPEN_TIMEOUT });
    await expect(page.getByTestId('access-break-glass')).toContainText('紧急访问');
    await screenshot(page, '25-break-glass');
  });

  test('the administrator has no patient search: they land on the system view', async ({ page }) => {
    await openAppAs(page, 'admin');
    await expect(page.getByTestId('session-roles')).toHaveText('系统管理员');
    await expect(page.getByTestId('system-view')).toBeVisible();
    await expect(page.getByTestId('patient-search-input')).toHaveCount(0);
    // Main refuses regardless of the screen: the API still answers 403 to a search.
    const origin = hostOrigin();
    const search = await page.request.post(`${origin}/api/searchPatients`, {
      data: { query: DEMO_PATIENT.nameHanzi },
      headers: { origin },
    });
    expect(search.status()).toBe(403);
  });

  test('the doctor exports the timeline de-identified', async ({ page }) => {
    await openAppAs(page, 'doctor');
    await openDemoPatient(page);
    await expect(page.getByTestId('export-timeline')).toBeVisible({ timeout: OPEN_TIMEOUT });
    await page.getByTestId('export-timeline').click();
    await expect(page.getByTestId('export-timeline-status')).toContainText('已导出 1 个文件', { timeout: OPEN_TIMEOUT });
  });
});
