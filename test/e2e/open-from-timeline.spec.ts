import { expect, test } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { openAppAs, openFromSearch, screenshot, showTimeline, watchConsole } from './support.ts';

test('an ImagingStudy entry in the timeline opens inline in the viewer; a document opens in the reader', async ({ page }) => {
  const problems = watchConsole(page);
  await openAppAs(page);
  await openFromSearch(page, DEMO_PATIENT.mrn);
  await showTimeline(page);

  // The oldest CT, to prove the viewer opens the study chosen, not simply the newest.
  await page.getByTestId('timeline-kind-filter').locator('[data-kind="imaging"]').click();
  const studies = page.locator('[data-testid="timeline-entry"][data-kind="imaging"]');
  await expect(studies.first()).toBeVisible();
  await studies.last().click();
  const uid = await page.getByTestId('timeline-detail').evaluate((el) => {
    const raw = el.querySelector('[data-testid="timeline-detail-raw"]')?.textContent ?? '';
    return /"id":\s*"([0-9.]+)"/.exec(raw)?.[1] ?? '';
  });
  await page.getByTestId('open-in-imaging').click();
  await expect(page.getByTestId('tab-imaging')).toHaveAttribute('aria-selected', 'true');
  const panel = page.getByTestId('imaging-panel');
  await expect(panel).toBeVisible({ timeout: 30_000 });
  if (uid) await expect(panel).toHaveAttribute('data-study-uid', uid);
  await screenshot(page, '40-open-imaging-from-timeline');

  await page.getByTestId('tab-timeline').click();
  await page.getByTestId('timeline-kind-filter').locator('[data-kind="document"]').click();
  await page.locator('[data-testid="timeline-entry"][data-kind="document"]').first().click();
  await page.getByTestId('open-in-documents').click();
  await expect(page.getByTestId('tab-documents')).toHaveAttribute('aria-selected', 'true');
  expect(problems).toEqual([]);
});
