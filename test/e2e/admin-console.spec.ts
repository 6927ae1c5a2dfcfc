import { expect, test, type Page } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { hostOrigin, OPEN_TIMEOUT, openAppAs, screenshot, watchConsole } from './support.ts';

/**
 * The administrator's console (issue 19) against the demo hospital, through the browser host:
 * sign in, land on the console, read the sources' state and history, check now, open the
 * configuration — and never see a patient's name or identifier.
 */

/** Nothing on screen names a patient: the demo patient's name, MRNs, FHIR id, and no 身份证-shaped number at all. */
async function expectNoPatientData(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  for (const phi of [DEMO_PATIENT.nameHanzi, DEMO_PATIENT.namePinyin, DEMO_PATIENT.residentId, DEMO_PATIENT.mrn, DEMO_PATIENT.fhirId]) {
    expect(text, `"${phi}" on the console`).not.toContain(phi);
  }
  expect(text).not.toMatch(/\b\d{17}[\dXx]\b/);
}

test.describe("administrator's console", () => {
  test('the administrator lands on the console: sources now and over time, check now, the configuration; no patient data', async ({
    page,
  }) => {
    const problems = watchConsole(page);
    await openAppAs(page, 'admin');
    await expect(page.getByTestId('admin-console')).toBeVisible();
    await expect(page.getByTestId('patient-search-input')).toHaveCount(0);
    await expect(page.getByTestId('console-tab-sources')).toHaveAttribute('aria-selected', 'true');
    for (const tab of ['sources', 'quality', 'audit', 'configuration']) await expect(page.getByTestId(`console-tab-${tab}`)).toBeVisible();

    // State now: the system view inside the Sources tab.
    const sources = page.getByTestId('system-source');
    await expect(sources.first()).toBeVisible();
    const count = await sources.count();
    expect(count).toBeGreaterThanOrEqual(4);

    // Check now: the probes of `huizhen sources check`; they are calls, so the history counts them.
    await page.getByTestId('system-check-now').click();
    await expect(page.getByTestId('system-check-status')).toHaveAttribute('data-state', 'done', { timeout: OPEN_TIMEOUT });
    await expect(page.locator('[data-testid="system-probe"][data-ok="true"]')).toHaveCount(count);
    const rows = page.getByTestId('console-figures-row');
    await expect(rows).toHaveCount(count, { timeout: OPEN_TIMEOUT });
    await expect(page.locator('[data-testid="console-figures-row"][data-calls="0"]')).toHaveCount(0, { timeout: OPEN_TIMEOUT });
    await expect(page.getByTestId('console-chart-p95').locator('canvas')).toHaveCount(1);
    await expect(page.getByTestId('console-chart-p95')).toHaveAttribute('data-buckets', '288');
    await expect(page.getByTestId('console-history')).toHaveAttribute('data-loading', 'false');
    await expectNoPatientData(page);
    await screenshot(page, 'admin-console-01-sources-zh');
    await page.getByTestId('console-chart-errors').scrollIntoViewIfNeeded();
    await screenshot(page, 'admin-console-01b-history-zh');

    await page.getByTestId('console-range-30d').click();
    await expect(page.getByTestId('console-chart-errors')).toHaveAttribute('data-buckets', '720', { timeout: OPEN_TIMEOUT });

    // The Quality panel answers (its content is admin-quality-audit.spec.ts's).
    await page.getByTestId('console-tab-quality').click();
    await expect(page.getByTestId('console-panel-quality')).toBeVisible();

    await page.getByTestId('console-tab-configuration').click();
    await expect(page.getByTestId('console-validation')).toHaveAttribute('data-valid', 'true', { timeout: OPEN_TIMEOUT });
    await expect(page.getByTestId('console-channel-inbound')).toBeVisible();
    await expect(page.getByTestId('console-channel-broker')).toBeVisible();
    await expect(page.getByTestId('console-cache')).toBeVisible();
    // The image cache as a count of files and a size, not "0 · 0 kB".
    await expect(page.getByTestId('console-cache')).toContainText(/影像缓存\s*[\d,]+ 个文件，共 [\d.,]+\s?[kMG]?B/);
    // The cache passphrase is named by its environment variable, never shown.
    const passphrase = page.locator('[data-testid="console-setting"][data-secret="env"]').filter({ hasText: 'cache.passphraseEnv' });
    await expect(passphrase).toContainText('HUIZHEN_E2E_CACHE_PASSPHRASE');
    await expect(page.locator('body')).not.toContainText('e2e cache passphrase');
    await expect(page.locator('body')).not.toContainText('huizhen-demo');
    await expectNoPatientData(page);
    await screenshot(page, 'admin-console-02-configuration-zh');

    await page.getByTestId('language-switch').selectOption('en');
    await expect(page.getByTestId('console-tab-configuration')).toHaveText('Configuration');
    await expect(page.getByTestId('console-validation')).toContainText('Configuration valid');
    await screenshot(page, 'admin-console-03-configuration-en');
    await page.getByTestId('console-tab-sources').click();
    await expect(page.getByTestId('console-figures')).toContainText('p95 latency', { timeout: OPEN_TIMEOUT });
    await expect(page.getByTestId('console-chart-p95').locator('canvas')).toHaveCount(1);
    await expectNoPatientData(page);
    await page.getByTestId('console-chart-errors').scrollIntoViewIfNeeded();
    await screenshot(page, 'admin-console-04-history-en');
    await page.getByTestId('language-switch').selectOption('zh-CN');
    expect(problems).toEqual([]);
  });

  test('a clinician calling the console from devtools is refused by main (403, access-denied)', async ({ page }) => {
    await openAppAs(page, 'doctor');
    const origin = hostOrigin();
    for (const [method, data] of [
      ['adminSourceHealth', { range: '24h' }],
      ['adminConfiguration', {}],
    ] as const) {
      const answer = await page.request.post(`${origin}/api/${method}`, { data, headers: { origin } });
      expect(answer.status()).toBe(403);
      expect(await answer.json()).toMatchObject({ error: { code: 'access-denied' } });
    }
  });
});
