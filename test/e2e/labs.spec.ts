import { expect, test, type Locator } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { OPEN_TIMEOUT, openAppAs, openDemoPatientAsDoctor, screenshot, searchSettled, watchConsole } from './support.ts';

interface CanvasStats {
  /** Pixels painted at all (alpha > 0): the chart drew, not only mounted. */
  painted: number;
  /** Opaque pixels of the line colour (#1f5fbf). */
  line: number;
  /** Pixels of the reference band: rgba(27, 122, 61, 0.13) on the transparent canvas. */
  band: number;
}

/** Reads the chart's canvas once, through a fresh copy (repeated readbacks of a live canvas warn). */
async function canvasStats(chart: Locator): Promise<CanvasStats> {
  return chart.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d', { willReadFrequently: true });
    if (!ctx || canvas.width === 0) return { painted: 0, line: 0, band: 0 };
    ctx.drawImage(canvas, 0, 0);
    const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
    const near = (i: number, r: number, g: number, b: number, tol: number) =>
      Math.abs(data[i]! - r) < tol && Math.abs(data[i + 1]! - g) < tol && Math.abs(data[i + 2]! - b) < tol;
    const stats = { painted: 0, line: 0, band: 0 };
    for (let i = 0; i < data.length; i += 4) {
      const a = data[i + 3]!;
      if (a === 0) continue;
      stats.painted++;
      if (a > 200 && near(i, 0x1f, 0x5f, 0xbf, 40)) stats.line++;
      else if (a >= 20 && a <= 50 && near(i, 27, 122, 61, 14)) stats.band++;
    }
    return stats;
  });
}

test.describe('labs: cumulative table and trend', () => {
  test('the table lists analytes by section and dates newest first, values normalised with H/L', async ({ page }) => {
    const problems = watchConsole(page);
    await openDemoPatientAsDoctor(page);
    await expect(page.getByTestId('tab-labs')).toContainText('Alt+2');
    await page.getByTestId('tab-labs').click();

    const rows = page.getByTestId('lab-row');
    // Seven analytes of the visits' panels, and the demo's eGFR (issue 16's risk rule).
    await expect(rows).toHaveCount(8);
    const columns = page.getByTestId('lab-column');
    await expect(columns).toHaveCount(9);
    const times = await columns.evaluateAll((els) => els.map((e) => e.getAttribute('data-time') ?? ''));
    expect(times).toEqual([...times].sort().reverse());

    // Sections inferred from the analytes: CBC, chemistry, glucose metabolism; the eGFR has none yet.
    const groups = await page.getByTestId('lab-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-group')));
    expect(groups).toEqual(['cbc', 'chemistry', 'glucose', 'other']);
    await expect(page.getByTestId('lab-group').first()).toContainText('血常规');

    // Glucose arrives in mg/dL and is shown in mmol/L with its converted range; LOINC is canonical.
    const glucose = page.locator('[data-testid="lab-row"][data-analyte="glucose"]');
    await expect(glucose).toHaveAttribute('data-loinc', '14749-6');
    await expect(glucose).toContainText('mmol/L');
    await expect(glucose).toContainText('3.89–5.5');
    await expect(glucose.locator('td').nth(1)).toHaveText('3.89–5.5');
    // Abnormal cells say so in text (↑/↓), not by colour alone.
    const flagged = glucose.locator('[data-testid="lab-cell"][data-flag="H"]');
    expect(await flagged.count()).toBeGreaterThan(0);
    await expect(flagged.first()).toContainText('↑');
    const title = await flagged.first().getAttribute('title');
    expect(title).toMatch(/原始 \d+ mg\/dL/);
    // Creatinine is converted to µmol/L; WBC shown as ×10⁹/L.
    await expect(page.locator('[data-testid="lab-row"][data-analyte="creatinine"]')).toContainText('µmol/L');
    await expect(page.locator('[data-testid="lab-row"][data-analyte="wbc"]')).toContainText('×10⁹/L');
    await screenshot(page, '10-labs-table');
    expect(problems).toEqual([]);
  });

  test('clicking an analyte draws its trend with the reference range band', async ({ page }) => {
    const problems = watchConsole(page);
    await openDemoPatientAsDoctor(page);
    await page.getByTestId('tab-labs').click();
    await expect(page.getByTestId('lab-trend')).toHaveAttribute('data-state', 'empty');

    await page.locator('[data-testid="lab-row"][data-analyte="glucose"]').click();
    const trend = page.getByTestId('lab-trend');
    await expect(trend).toContainText('葡萄糖');
    const chart = page.getByTestId('lab-trend-chart');
    await expect(chart).toHaveAttribute('data-points', '8');
    await expect(chart.locator('canvas')).toBeVisible();
    await expect.poll(async () => (await canvasStats(chart)).painted).toBeGreaterThan(2000);
    // The line and the reference band are both painted.
    const stats = await canvasStats(chart);
    expect(stats.line).toBeGreaterThan(100);
    expect(stats.band).toBeGreaterThan(500);
    await expect(page.getByTestId('lab-trend-values').locator('tr')).toHaveCount(8);
    await screenshot(page, '11-labs-trend');

    // Another analyte redraws the chart for it.
    await page.locator('[data-testid="lab-row"][data-analyte="potassium"]').click();
    await expect(trend).toHaveAttribute('data-row-key', /^potassium\|/);
    await expect.poll(async () => (await canvasStats(page.getByTestId('lab-trend-chart'))).painted).toBeGreaterThan(2000);
    expect(problems).toEqual([]);
  });

  test('keyboard only: search, open, switch to Labs, open a trend', async ({ page }) => {
    const problems = watchConsole(page);
    await openAppAs(page);
    const search = page.getByTestId('patient-search-input');
    await expect(search).toBeFocused();
    await page.keyboard.type(DEMO_PATIENT.nameHanzi);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('patient-result')).toHaveCount(1);
    await searchSettled(page);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    // Generous: the open fans out to the demo hospital, and CI machines are shared.
    await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });

    await page.keyboard.press('Alt+2');
    await expect(page.getByTestId('tab-labs')).toHaveAttribute('aria-selected', 'true');
    const first = page.getByTestId('lab-row').first();
    await expect(first).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('lab-row').nth(1)).toBeFocused();
    await page.keyboard.press('Enter');
    const key = await page.getByTestId('lab-row').nth(1).getAttribute('data-row-key');
    await expect(page.getByTestId('lab-trend')).toHaveAttribute('data-row-key', key ?? '');
    await expect.poll(async () => (await canvasStats(page.getByTestId('lab-trend-chart'))).painted).toBeGreaterThan(2000);

    // Back to the timeline with Alt+1: focus lands in the list, arrows move the selection.
    await page.keyboard.press('Alt+1');
    await expect(page.getByTestId('timeline-list')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('timeline-detail')).not.toHaveAttribute('data-state', 'empty');
    await screenshot(page, '12-keyboard-timeline');
    expect(problems).toEqual([]);
  });
});
