import { expect, test } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { hostOrigin, openAppAs, openFromSearch, screenshot, searchSettled, showTimeline, watchConsole } from './support.ts';

test.describe('ward doctor: find a patient, open the merged timeline', () => {
  test('search by Chinese name, open with the keyboard, read the timeline with its sources', async ({ page }) => {
    const problems = watchConsole(page);
    await openAppAs(page);

    const search = page.getByTestId('patient-search-input');
    await expect(search).toBeFocused();
    await expect(page.getByTestId('source-status').first()).toHaveAttribute('data-source-id', 'cdr');
    await screenshot(page, '01-start');

    await search.fill(DEMO_PATIENT.nameHanzi);
    await search.press('Enter');
    const result = page.getByTestId('patient-result').filter({ hasText: DEMO_PATIENT.nameHanzi });
    await expect(result).toHaveCount(1);
    await expect(result).toContainText(DEMO_PATIENT.mrn);
    await screenshot(page, '02-search-results');

    await searchSettled(page);
    await search.press('ArrowDown');
    await page.keyboard.press('Enter');

    const banner = page.getByTestId('patient-banner');
    // Five systems answer; under CI load that can take a while.
    await expect(banner).toHaveAttribute('data-state', 'open', { timeout: 45_000 });
    await expect(page.getByTestId('patient-banner-name')).toContainText('张伟');
    await expect(banner).toContainText(DEMO_PATIENT.residentId);
    // The ward doctor lands on the safety summary; Alt+1 is the timeline.
    await expect(page.getByTestId('tab-summary')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Alt+1');
    await expect(page.getByTestId('tab-timeline')).toHaveAttribute('aria-selected', 'true');

    const entries = page.getByTestId('timeline-entry');
    await expect(entries.first()).toBeVisible();
    const count = await entries.count();
    expect(count).toBeGreaterThan(20);

    // Clinical-time order, newest first: day headings descend.
    const days = await page.getByTestId('timeline-day').evaluateAll((els) => els.map((e) => e.getAttribute('data-day') ?? ''));
    expect(days.length).toBeGreaterThan(1);
    expect(days).toEqual([...days].sort().reverse());

    // Every entry says where it came from; results the LIS and the CDR both sent are one entry with both chips.
    const configured = new Set(['cdr', 'his', 'lis', 'emr-platform', 'pacs']);
    for (let i = 0; i < Math.min(count, 15); i++) {
      const chips = await entries
        .nth(i)
        .getByTestId('provenance-chip')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-source-id') ?? ''));
      expect(chips.length).toBeGreaterThan(0);
      for (const id of chips) expect(configured.has(id)).toBe(true);
    }
    const merged = page
      .locator('[data-testid="timeline-entry"][data-kind="observation"]')
      .filter({ has: page.locator('[data-source-id="lis"]') })
      .filter({ has: page.locator('[data-source-id="cdr"]') });
    await expect(merged.first()).toBeVisible();
    const kinds = await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(new Set(kinds)).toEqual(expect.objectContaining({}));
    expect(kinds).toContain('observation');

    // Abnormal results carry a textual flag, not colour alone.
    await expect(page.locator('[data-testid="timeline-entry"][data-abnormal="true"] [data-testid="abnormal-flag"]').first()).toBeVisible();

    // The detail pane shows provenance and the raw FHIR resource of the selected entry.
    await entries.first().click();
    await expect(page.getByTestId('timeline-detail')).toHaveAttribute('data-entry-id', /^(cdr|his|lis|emr-platform|pacs):/);
    await expect(page.getByTestId('timeline-detail-provenance')).not.toBeEmpty();
    // It answered: "slow" is the truth on a loaded machine (a CDR answer took 2.1 s at load 24), and still an answer.
    await expect(page.locator('[data-testid="source-status-bar"] [data-testid="source-status"][data-source-id="cdr"]')).toHaveAttribute(
      'data-state',
      /^(ok|slow)$/,
    );
    await screenshot(page, '03-timeline');

    expect(problems).toEqual([]);
  });

  test('search by MRN and by 身份证 finds the same single patient', async ({ page }) => {
    await openAppAs(page);
    for (const query of [DEMO_PATIENT.mrn, DEMO_PATIENT.residentId]) {
      await page.getByTestId('patient-search-input').fill(query);
      await page.getByTestId('patient-search-input').press('Enter');
      await expect(page.getByTestId('patient-result')).toHaveCount(1);
      await expect(page.getByTestId('patient-result')).toContainText('张伟');
    }
  });

  test('filters the timeline by kind and text', async ({ page }) => {
    await openAppAs(page);
    await openFromSearch(page, DEMO_PATIENT.mrn);
    await showTimeline(page);
    await expect(page.getByTestId('timeline-entry').first()).toBeVisible();

    await page.getByTestId('timeline-kind-filter').locator('[data-kind="condition"]').click();
    const kinds = await page.getByTestId('timeline-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['condition']));

    await page.getByTestId('timeline-kind-filter').locator('[data-kind="all"]').click();
    await page.getByTestId('timeline-text-filter').fill('糖化血红蛋白');
    const titles = await page.getByTestId('timeline-entry').allInnerTexts();
    expect(titles.length).toBeGreaterThan(0);
    for (const t of titles) expect(t).toContain('糖化血红蛋白');
  });

  test('switches to English and back', async ({ page }) => {
    await openAppAs(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await page.getByTestId('language-switch').selectOption('en');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByTestId('patient-search-submit')).toHaveText(/Search/i);
    await screenshot(page, '04-english');
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await expect(page.getByTestId('patient-search-submit')).toHaveText('搜索');
  });
});

test.describe('browser host guards', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('without the session cookie the host answers 401 and serves no app', async ({ page }) => {
    const response = await page.goto(`${hostOrigin()}/`);
    expect(response?.status()).toBe(401);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    await expect(page.getByTestId('patient-search-input')).toHaveCount(0);
  });
});
