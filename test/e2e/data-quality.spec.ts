import { expect, test } from '@playwright/test';
import { openDemoPatientAsDoctor, screenshot, showTimeline, watchConsole } from './support.ts';

test.describe('ward doctor: a record with a data-quality defect is marked, with the reason', () => {
  test('the LIS admission monitor panel (local code VS-ADM, no LOINC) shows its mark and says why, in zh and en', async ({ page }) => {
    const problems = watchConsole(page);
    await openDemoPatientAsDoctor(page);
    await showTimeline(page);
    await page.getByTestId('timeline-text-filter').fill('入院生命体征');
    const marked = page.locator('[data-testid="quality-mark"][data-quality-codes~="unmapped-code"]').first();
    await expect(marked).toBeVisible();
    await expect(marked).toContainText('数据质量');
    await expect(marked).toHaveAttribute('title', /本地编码 VS-ADM/);
    await screenshot(page, 'data-quality-01-mark-zh');

    // The same mark worded in English: the core sends codes and parameters, the renderer words them.
    await page.getByTestId('language-switch').selectOption('en');
    await expect(marked).toContainText('data quality');
    await expect(marked).toHaveAttribute('title', /local code VS-ADM .*has no LOINC\/SNOMED\/ICD mapping/);
    await expect(marked).not.toContainText('数据质量');
    await screenshot(page, 'data-quality-02-mark-en');
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await expect(marked).toContainText('数据质量');

    // Only entries with a finding carry the mark: the LOINC-coded results of the CDR have none.
    await page.getByTestId('timeline-text-filter').fill('');
    const clean = page.getByTestId('timeline-entry').filter({ hasNot: page.getByTestId('quality-mark') });
    await expect(clean.first()).toBeVisible();
    expect(problems).toEqual([]);
  });
});
