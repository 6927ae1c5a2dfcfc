import { expect, test } from '@playwright/test';
import { openDemoPatientAsDoctor, showTimeline, watchConsole } from './support.ts';

test.describe('ward doctor: a record with a data-quality defect is marked, with the reason', () => {
  test('the LIS admission monitor panel (local code VS-ADM, no LOINC) shows its mark and says why', async ({ page }) => {
    const problems = watchConsole(page);
    await openDemoPatientAsDoctor(page);
    await showTimeline(page);
    await page.getByTestId('timeline-text-filter').fill('入院生命体征');
    const marked = page.locator('[data-testid="quality-mark"][data-quality-codes~="unmapped-code"]').first();
    await expect(marked).toBeVisible();
    await expect(marked).toContainText('数据质量');
    await expect(marked).toHaveAttribute('title', /本地编码 VS-ADM/);
    // Only entries with a finding carry the mark: the LOINC-coded results of the CDR have none.
    await page.getByTestId('timeline-text-filter').fill('');
    const clean = page.getByTestId('timeline-entry').filter({ hasNot: page.getByTestId('quality-mark') });
    await expect(clean.first()).toBeVisible();
    expect(problems).toEqual([]);
  });
});
