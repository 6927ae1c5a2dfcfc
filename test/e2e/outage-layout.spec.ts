import { expect, test, type Page } from '@playwright/test';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { OPEN_TIMEOUT, openAppAs, openDemoPatientAsDoctor, screenshot, searchSettled, showTimeline, watchConsole } from './support.ts';

/** A respiratory-ward patient: outside the demo doctor's care, so opening it offers break-the-glass. */
const OUTSIDE_CARE = generateSyntheticHospital().patients[5]!;

async function box(page: Page, testId: string) {
  const found = await page.getByTestId(testId).boundingBox();
  if (!found) throw new Error(`${testId} has no box`);
  return found;
}

test.describe('layout: room for the record, technical details behind a disclosure', () => {
  test('the detail pane appears only once an entry is chosen; identifiers known only by an OID sit behind "details"', async ({ page }) => {
    const problems = watchConsole(page);
    await openDemoPatientAsDoctor(page);
    await showTimeline(page);
    await expect(page.getByTestId('timeline-detail')).toBeHidden();
    const banner = page.getByTestId('patient-banner');
    // What is on screen (innerText leaves out a closed disclosure's content).
    await expect.poll(() => banner.innerText()).not.toContain('urn:oid');
    const tech = page.getByTestId('banner-technical-ids');
    await expect(tech).toBeVisible();
    await expect(tech).toContainText('详细信息');
    await expect(tech.locator('dl')).toBeHidden();
    await screenshot(page, 'layout-1-timeline-no-detail');
    await tech.locator('summary').click();
    await expect(tech.locator('dl')).toContainText('urn:oid');
    await page.getByTestId('timeline-entry').first().click();
    await expect(page.getByTestId('timeline-detail')).toBeVisible();
    await screenshot(page, 'layout-2-timeline-detail-and-ids');
    // Grouped by encounter, with the detail pane open (the narrowest list): no source chip is cut off.
    await page.getByTestId('timeline-group-by').locator('[data-group="encounter"]').click();
    const chips = page.locator('[data-testid="timeline-entry"] [data-testid="provenance-chip"]');
    await expect(chips.first()).toBeVisible();
    // Each chip cut off by an ancestor that clips, or squeezed unreadable, described for the failure message.
    const clipped = await chips.evaluateAll((els) =>
      els.flatMap((chip) => {
        const own = chip.getBoundingClientRect();
        if (own.width === 0) return [];
        for (let p = chip.parentElement; p; p = p.parentElement) {
          if (getComputedStyle(p).overflowX === 'visible') continue;
          const box = p.getBoundingClientRect();
          if (own.right > box.right + 0.5 || own.left < box.left - 0.5)
            return [`${chip.textContent} [${own.left}, ${own.right}] outside .${p.className} [${box.left}, ${box.right}]`];
        }
        // Shrunk to an ellipsis is fine (the title keeps the whole); too narrow to read is not.
        return own.width < 30 ? [`${chip.textContent} only ${own.width}px wide`] : [];
      }),
    );
    await screenshot(page, 'layout-2b-timeline-by-encounter');
    expect(clipped).toEqual([]);
    expect(problems).toEqual([]);
  });

  test('labs: every date column can be scrolled to while the analyte column stays; the trend pane comes with a choice', async ({
    page,
  }) => {
    const problems = watchConsole(page);
    await openDemoPatientAsDoctor(page);
    await page.getByTestId('tab-labs').click();
    await expect(page.getByTestId('lab-row').first()).toBeVisible();
    await expect(page.getByTestId('lab-trend')).toBeHidden();
    const scroller = page.getByTestId('lab-table-scroll');
    await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    const view = await box(page, 'lab-table-scroll');
    const columns = page.getByTestId('lab-column');
    const last = (await columns.last().boundingBox())!;
    expect(last.x + last.width).toBeLessThanOrEqual(view.x + view.width + 1);
    expect(last.x).toBeGreaterThanOrEqual(view.x);
    const analyte = (await page.getByTestId('lab-row').first().locator('th').first().boundingBox())!;
    expect(Math.abs(analyte.x - view.x)).toBeLessThan(2);
    const section = (await page.getByTestId('lab-group').first().locator('th').first().boundingBox())!;
    expect(Math.abs(section.x - view.x)).toBeLessThan(2);
    await screenshot(page, 'layout-3-labs-scrolled-to-oldest');
    await page.getByTestId('lab-row').first().click();
    await expect(page.getByTestId('lab-trend')).toBeVisible();
    await screenshot(page, 'layout-4-labs-trend');
    expect(problems).toEqual([]);
  });

  test('break-the-glass is a compact box, not the height of the screen', async ({ page }) => {
    await openAppAs(page, 'doctor');
    const search = page.getByTestId('patient-search-input');
    await search.fill(OUTSIDE_CARE.mrn);
    await search.press('Enter');
    await searchSettled(page);
    await page.getByTestId('patient-result').first().click();
    const denied = page.getByTestId('access-denied');
    await expect(denied).toBeVisible({ timeout: OPEN_TIMEOUT });
    const height = (await denied.boundingBox())!.height;
    expect(height).toBeLessThan(page.viewportSize()!.height / 2);
    // Main's English wording waits behind "详细信息"; the screen explains in the UI's language.
    await expect.poll(() => denied.innerText()).not.toContain('not on your wards');
    await screenshot(page, 'layout-5-break-glass-compact');
  });

  test('the administrator, who sees no patient data, has no privacy-mode button', async ({ page }) => {
    await openAppAs(page, 'admin');
    await expect(page.getByTestId('session-bar')).toBeVisible();
    await expect(page.getByTestId('session-lock')).toBeVisible();
    await expect(page.getByTestId('privacy-mode')).toHaveCount(0);
    await screenshot(page, 'layout-6-admin-header');
  });
});
