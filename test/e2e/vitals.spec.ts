import { expect, test } from '@playwright/test';
import { OPEN_TIMEOUT, openDemoPatientAsDoctor, screenshot, watchConsole } from './support.ts';

/**
 * 张伟's pneumonia stay in the demo hospital (src/demo-hospital/synthetic/vital-signs.ts):
 * admitted 2021-01-27 08:11 with 38.8 ℃, pulse 108, BP 152/94 — recorded by the CDR, written
 * into the WS/T 500 admission note (EMR) and, for temperature/pulse/SpO₂, sent by the LIS —
 * then T/P/R at 6, 10, 14 and 18 h until discharge on 2021-02-04 08:11: nine chart days.
 */
const STAY_DAYS = 9;
const TEMPERATURE_MARKS = 32;
const MEASURING_TIMES = 33;

test.describe('vitals: the 体温单 flowsheet', () => {
  test('Alt+5 opens the chart and the table with the stay’s values, merged across systems', async ({ page }) => {
    const problems = watchConsole(page);
    await openDemoPatientAsDoctor(page);
    await expect(page.getByTestId('tab-vitals')).toContainText('Alt+5');
    await page.keyboard.press('Alt+5');
    const vitals = page.getByTestId('vitals');
    await expect(vitals).toBeVisible();
    // The shortcut moves focus into the chart, whose days then scroll by keyboard.
    const scroller = page.getByTestId('vitals-chart-scroll');
    await expect(scroller).toBeFocused();

    const chart = page.getByTestId('vitals-chart');
    await expect(chart).toHaveAttribute('data-days', String(STAY_DAYS));
    const days = page.getByTestId('vitals-day');
    await expect(days.first()).toHaveAttribute('data-day', '2021-01-27');
    await expect(days.first()).toHaveAttribute('data-hospital-day', '1');
    await expect(days.first()).toContainText('住院第1天');
    await expect(days.last()).toHaveAttribute('data-day', '2021-02-04');
    await expect(days.last()).toContainText('住院第9天');

    const temps = page.getByTestId('vitals-mark-temperature');
    await expect(temps).toHaveCount(TEMPERATURE_MARKS);
    await expect(page.getByTestId('vitals-mark-pulse')).toHaveCount(TEMPERATURE_MARKS);
    // The fever peak (14 h on the first day) is charted and marked abnormal; the afebrile days are not.
    await expect(chart.locator('[data-testid="vitals-mark-temperature"][data-value="39.2"]')).toHaveAttribute('data-flag', 'H');
    await expect(chart.locator('[data-testid="vitals-mark-temperature"][data-value="36.6"]').first()).not.toHaveAttribute('data-flag', /./);
    // Rows of numbers under the chart: the first day's morning BP (latest of the half day: 10 h), respiration in fever, SpO₂, weight.
    await expect(page.getByTestId('vitals-num-bp').first()).toHaveText('144/89↑');
    await expect(page.getByTestId('vitals-num-respiration').first()).toHaveText('22↑');
    await expect(page.getByTestId('vitals-num-spo2').first()).toHaveText('94↓');
    await expect(page.getByTestId('vitals-num-weight')).toHaveText(['72.5', '71.9', '71.3']);
    await expect(page.getByTestId('vitals-body')).toHaveText('身高 172 cm · 体重 71.3 kg');

    // The table: one row per measuring time, newest first, units normalised.
    const rows = page.getByTestId('vitals-row');
    await expect(rows).toHaveCount(MEASURING_TIMES);
    await expect(page.getByTestId('vitals-table').locator('thead')).toContainText('体温 ℃');
    await expect(page.getByTestId('vitals-table').locator('thead')).toContainText('脉搏 次/分');
    await expect(page.getByTestId('vitals-table').locator('thead')).toContainText('血压 mmHg');
    const admission = rows.last();
    await expect(admission).toContainText('住院第1天');
    const temperature = admission.locator('[data-column="temperature"]');
    await expect(temperature.locator('.vitals-cell__value')).toHaveText('38.8↑');
    // The same admission reading from the CDR, the EMR's WS/T 500 note and the LIS is one value with three sources.
    await expect(temperature.getByTestId('vitals-source-chip')).toHaveCount(3, { timeout: OPEN_TIMEOUT });
    await expect(temperature.locator('[data-source-id="cdr"]')).toHaveCount(1);
    await expect(temperature.locator('[data-source-id="lis"]')).toHaveCount(1);
    // The CDR's BP panel and the EMR's separate systolic/diastolic are one blood pressure with both sources.
    const bp = admission.locator('[data-column="bloodPressure"]');
    await expect(bp.locator('.vitals-cell__value')).toHaveText('152/94↑');
    await expect(bp.getByTestId('vitals-source-chip')).toHaveCount(2);
    await expect(admission.locator('[data-column="spo2"] .vitals-cell__value')).toHaveText('93↓');

    // Days scroll: the chart opens on the newest days, ← goes back a day, Home to admission.
    await expect.poll(() => scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    const end = await scroller.evaluate((el) => el.scrollLeft);
    expect(end).toBeGreaterThan(0);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeLessThan(end);
    await page.keyboard.press('Home');
    await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBe(0);
    await screenshot(page, 'vitals-flowsheet-zh');

    // Hovering a chart mark says what, when and from where.
    await chart.locator('[data-testid="vitals-mark-temperature"][data-value="39.2"] .vitals-mark__hit').hover();
    await expect(page.getByTestId('vitals-readout')).toContainText('体温 39.2 ℃');
    await expect(page.getByTestId('vitals-readout-chip').first()).toBeVisible();
    await screenshot(page, 'vitals-chart-readout-zh');

    // Keyboard in the table: focus a value and its sources show; arrows move between values.
    // (The pointer leaves the chart first, so no other value's sources show on hover.)
    await page.mouse.move(1, 1);
    await temperature.focus();
    await expect(temperature.getByTestId('vitals-sources')).toBeVisible();
    await expect(page.getByTestId('vitals-readout')).toContainText('体温 38.8 ℃');
    await temperature.scrollIntoViewIfNeeded();
    await screenshot(page, 'vitals-table-sources-zh');
    await page.keyboard.press('ArrowRight');
    await expect(admission.locator('[data-column="pulse"]')).toBeFocused();
    await expect(admission.locator('[data-column="pulse"] .vitals-cell__value')).toHaveText('108↑');
    await expect(page.getByTestId('vitals-readout')).toContainText('脉搏 108 次/分');

    expect(problems).toEqual([]);
  });

  test('in English the same flowsheet is worded in English', async ({ page }) => {
    await openDemoPatientAsDoctor(page);
    await page.getByTestId('language-switch').selectOption('en');
    try {
      await page.getByTestId('tab-vitals').click();
      await expect(page.getByTestId('vitals-day').first()).toContainText('Day 1');
      await expect(page.getByTestId('vitals-table').locator('thead')).toContainText('Pulse /min');
      await expect(page.getByTestId('vitals-body')).toHaveText('Height 172 cm · weight 71.3 kg');
      await page.getByTestId('vitals-chart-scroll').press('Home');
      await screenshot(page, 'vitals-flowsheet-en');
    } finally {
      await page.getByTestId('language-switch').selectOption('zh-CN');
    }
  });
});
