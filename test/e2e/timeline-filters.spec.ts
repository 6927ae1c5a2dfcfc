import { expect, test, type Page } from '@playwright/test';
import { openDemoPatientAsDoctor, screenshot, showTimeline, watchConsole } from './support.ts';

async function openDemoPatient(page: Page): Promise<void> {
  await openDemoPatientAsDoctor(page);
  await showTimeline(page);
  await expect(page.getByTestId('timeline-entry').first()).toBeVisible();
}

const shownCount = async (page: Page) =>
  Number(((await page.getByTestId('timeline-count').innerText()).split('/')[0] ?? '').replace(/\D/g, ''));

test.describe('timeline: panels, encounters, filters', () => {
  test('lab results sit indented under their report, which collapses and expands', async ({ page }) => {
    const problems = watchConsole(page);
    await openDemoPatient(page);
    // A visit's seven-result panel (the newest report is the demo's two-result chemistry of issue 16).
    const panel = page.getByTestId('timeline-panel').filter({ hasText: '7 项' }).first();
    await expect(panel).toContainText('检验报告');
    await expect(panel).toContainText('7 项');
    const children = page.locator('[data-testid="timeline-entry"][data-depth="1"]');
    expect(await children.count()).toBeGreaterThanOrEqual(7);

    // Normalised value on the row, the original beside it.
    const glucose = page.locator('[data-testid="timeline-entry"]', { hasText: '葡萄糖' }).first();
    await expect(glucose.getByTestId('timeline-entry-value')).toContainText(/\d+(\.\d+)? mmol\/L \(原始 \d+ mg\/dL\)/);
    await glucose.click();
    await expect(page.getByTestId('timeline-detail-original')).toContainText('mg/dL');
    await expect(page.getByTestId('timeline-detail')).toContainText('所属报告');
    // The result came with a summary of its resource; opening the raw view fetches it whole.
    await expect(page.getByTestId('timeline-detail-raw')).toHaveCount(0);
    // It is a technical detail: behind the closed 技术细节 disclosure.
    await page.getByTestId('timeline-detail-technical').locator(':scope > summary').click();
    await page.getByTestId('timeline-detail').locator('summary', { hasText: '原始 FHIR 资源' }).click();
    await expect(page.getByTestId('timeline-detail-raw')).toContainText('"valueQuantity"');
    await expect(page.getByTestId('timeline-detail-raw')).toContainText('"resourceType": "Observation"');

    const before = await page.getByTestId('timeline-entry').count();
    await panel.getByTestId('timeline-panel-toggle').click();
    await expect(panel).toHaveAttribute('data-collapsed', 'true');
    await expect(page.getByTestId('timeline-entry')).toHaveCount(before - 7);
    await panel.getByTestId('timeline-panel-toggle').click();
    await expect(page.getByTestId('timeline-entry')).toHaveCount(before);
    await screenshot(page, '20-timeline-panels');
    expect(problems).toEqual([]);
  });

  test('groups by encounter with period and type; keyboard moves across groups', async ({ page }) => {
    const problems = watchConsole(page);
    await openDemoPatient(page);
    await page.getByTestId('timeline-group-by').locator('[data-group="encounter"]').click();
    const encounters = page.getByTestId('timeline-encounter');
    await expect(encounters.first()).toBeVisible();
    expect(await encounters.count()).toBeGreaterThanOrEqual(8);
    await expect(encounters.first()).toContainText('门诊');
    await expect(encounters.first()).toContainText(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);

    // Keyboard: ↓ from nothing selects the first encounter; ← collapses it; ↓ goes to the next one.
    await page.getByTestId('timeline-list').focus();
    await page.keyboard.press('ArrowDown');
    const firstKey = await encounters.first().getAttribute('data-key');
    await expect(page.getByTestId('timeline-detail')).toHaveAttribute('data-entry-id', firstKey ?? '');
    await page.keyboard.press('ArrowLeft');
    await expect(encounters.first()).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('ArrowDown');
    const secondKey = await encounters.nth(1).getAttribute('data-key');
    await expect(page.getByTestId('timeline-detail')).toHaveAttribute('data-entry-id', secondKey ?? '');
    // → expands... it already is; → again steps into its first member (the lab panel).
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('timeline-detail')).not.toHaveAttribute('data-entry-id', secondKey ?? '');
    await screenshot(page, '21-timeline-encounters');
    expect(problems).toEqual([]);
  });

  test('filters by source, date range and abnormal only', async ({ page }) => {
    const problems = watchConsole(page);
    await openDemoPatient(page);
    const total = await shownCount(page);

    // Source: the CDR chip keeps exactly the entries the CDR reported (merged ones included).
    const cdr = page.getByTestId('timeline-source-filter').locator('[data-source-id="cdr"]');
    await expect(cdr).toContainText('CDR');
    const cdrCount = Number((await cdr.locator('.tl__n').innerText()).replace(/\D/g, ''));
    await cdr.click();
    await expect(cdr).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => shownCount(page)).toBe(cdrCount);
    const entries = page.getByTestId('timeline-entry');
    const rows = await entries.count();
    for (let i = 0; i < Math.min(rows, 20); i++)
      await expect(entries.nth(i).locator('[data-testid="provenance-chip"][data-source-id="cdr"]')).toHaveCount(1);
    await cdr.click();
    await expect.poll(() => shownCount(page)).toBe(total);

    // Date range: only days inside [from, to] remain.
    await page.getByTestId('timeline-date-from').fill('2022-01-01');
    await page.getByTestId('timeline-date-to').fill('2022-12-31');
    await expect.poll(() => shownCount(page)).toBeLessThan(total);
    const days = await page.getByTestId('timeline-day').evaluateAll((els) => els.map((e) => e.getAttribute('data-day') ?? ''));
    expect(days.length).toBeGreaterThan(0);
    for (const d of days) expect(d >= '2022-01-01' && d <= '2022-12-31').toBe(true);
    await page.getByTestId('timeline-clear-filters').click();
    await expect.poll(() => shownCount(page)).toBe(total);

    // Abnormal only: every remaining entry carries a textual flag.
    await page.getByTestId('timeline-abnormal-filter').click();
    await expect.poll(() => shownCount(page)).toBeLessThan(total);
    const n = await entries.count();
    expect(n).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) await expect(entries.nth(i).getByTestId('abnormal-flag')).toBeVisible();
    await screenshot(page, '22-timeline-abnormal-only');
    expect(problems).toEqual([]);
  });
});
