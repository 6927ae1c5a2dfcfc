import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { HIS_TRANSFER_NOT_IN_CDR } from '../../src/demo-hospital/his-mllp/his-census.ts';
import { serveWorkstation } from '../../src/main/host/serve-workstation.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { OPEN_TIMEOUT, openAppAs, screenshot, watchConsole } from './support.ts';

/**
 * The ward doctor's start: signed in, the ward's patients by bed (from the demo hospital's
 * census), which have new results, one opened with the keyboard, and back to the ward.
 */
test('the ward doctor signs in, sees the ward with new results, opens a patient with Enter and goes back', async ({ page }) => {
  const problems = watchConsole(page);
  await openAppAs(page, 'doctor');
  const worklist = page.getByTestId('worklist');
  await expect(worklist).toBeVisible();
  await expect(worklist.getByRole('heading', { name: '病区患者' })).toBeVisible();
  // Completed live from the systems, not only painted from the cache.
  await expect(page.getByTestId('worklist-state')).toHaveAttribute('data-live', 'done', { timeout: OPEN_TIMEOUT });
  const rows = page.getByTestId('worklist-row');
  expect(await rows.count()).toBeGreaterThanOrEqual(20);
  await expect(rows.first()).toContainText('第');
  await expect(page.getByTestId('worklist-new-results').first()).toBeVisible();
  expect(await page.locator('[data-testid="worklist-new-results"][data-critical]:not([data-critical="0"])').count()).toBeGreaterThan(0);
  await screenshot(page, 'worklist-zh-CN');

  // "Mine": only the patients the doctor attends, each marked.
  const all = await rows.count();
  await page.getByTestId('worklist-mine').check();
  await expect.poll(() => rows.count()).toBeLessThan(all);
  expect(await rows.count()).toBeGreaterThan(0);
  await expect(rows.first()).toContainText('我的');
  await page.getByTestId('worklist-mine').uncheck();

  // Keyboard: ↓ to the first bed (not the first row) with new results, Enter opens it.
  const target = await rows.evaluateAll((all) =>
    all.findIndex((row, i) => i > 0 && row.querySelector('[data-testid="worklist-new-results"]')),
  );
  expect(target).toBeGreaterThan(0);
  const table = page.getByTestId('worklist-table');
  await table.focus();
  for (let i = 0; i < target; i++) await table.press('ArrowDown');
  await expect(rows.nth(target)).toHaveAttribute('aria-selected', 'true');
  // The name is the cell's first text; the systems' chips and the "mine" mark follow it.
  const name = (
    await rows
      .nth(target)
      .locator('.wl__name')
      .evaluate((cell) => cell.firstChild?.textContent ?? '')
  ).trim();
  await table.press('Enter');
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
  await expect(page.getByTestId('patient-banner')).toContainText(name);
  // What is new since the last look (never opened: since admission) is marked in the timeline.
  await page.getByRole('tab', { name: '时间轴' }).click();
  await expect(page.getByTestId('new-since-mark').first()).toBeVisible();
  await screenshot(page, 'worklist-opened-zh-CN');

  // Back to the ward with Alt+W; the opened patient's results are no longer new.
  await page.keyboard.press('Alt+w');
  await expect(worklist).toBeVisible();
  await expect(page.getByTestId('worklist-state')).toHaveAttribute('data-live', 'done', { timeout: OPEN_TIMEOUT });
  await expect(rows.nth(target).getByTestId('worklist-new-results')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('the nurse starts from the ward list too; the button leads back from an open patient', async ({ page }) => {
  await openAppAs(page, 'nurse');
  await expect(page.getByTestId('worklist')).toBeVisible();
  await expect(page.getByTestId('worklist-state')).toHaveAttribute('data-live', 'done', { timeout: OPEN_TIMEOUT });
  await page.getByTestId('worklist-row').first().dblclick();
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
  await page.getByTestId('worklist-back').click();
  await expect(page.getByTestId('worklist')).toBeVisible();
});

/**
 * Both the CDR and the HIS (IHE ITI-22) give the census: a demo hospital and host of their own,
 * so the HIS can refuse without touching the shared host. One row per person names both systems;
 * the bed the HIS moved and the CDR did not hear of is marked; a HIS that refuses the census
 * query is named on the list, in Chinese and in English.
 */
test.describe('the census from the HIS and the CDR', () => {
  let hospital: DemoHospital;
  let served: Awaited<ReturnType<typeof serveWorkstation>>;
  test.describe.configure({ timeout: 240_000 });

  test.beforeAll(async () => {
    hospital = await startDemoHospital({ pacs: false, wardCensus: true, censusConfig: { his: true } });
    const home = mkdtempSync(join(tmpdir(), 'huizhen-e2e-wl-person-'));
    process.env.HUIZHEN_E2E_WL_PERSON_PASSPHRASE = 'e2e worklist person passphrase';
    served = await serveWorkstation({
      config: parseConfig(
        {
          ...hospital.config,
          sources: hospital.config.sources.map((s) => (s.id === 'his' ? { ...s, resilience: { timeoutMs: 3_000, retries: 0 } } : s)),
          cache: { enabled: true, directory: join(home, 'cache'), passphraseEnv: 'HUIZHEN_E2E_WL_PERSON_PASSPHRASE' },
        },
        'demo hospital',
      ),
      rendererDir: join(import.meta.dirname, '..', '..', 'dist-renderer'),
    });
  });
  test.afterAll(async () => {
    hospital?.his.faults.reset();
    await served?.close();
    await hospital?.stop();
  });

  test('one row per person with both systems named, the bed they disagree on marked; a refused census is named', async ({ page }) => {
    const problems = watchConsole(page);
    await page.goto(served.host.newLoginUrl());
    await openAppAs(page, 'doctor', served.host.origin);
    await expect(page.getByTestId('worklist-state')).toHaveAttribute('data-live', 'done', { timeout: OPEN_TIMEOUT });
    const rows = page.getByTestId('worklist-row');
    const names = await rows.locator('.wl__name').evaluateAll((cells) => cells.map((c) => c.firstChild?.textContent ?? ''));
    expect(names.length).toBeGreaterThanOrEqual(20);
    expect(new Set(names).size).toBe(names.length);
    // Every row on the ward names both systems that place the person.
    const ward = rows.filter({ has: page.locator('[data-source="his"]') }).filter({ has: page.locator('[data-source="cdr"]') });
    expect(await ward.count()).toBeGreaterThanOrEqual(20);
    const conflict = rows.filter({ has: page.getByTestId('worklist-bed-conflict') });
    await expect(conflict).toHaveCount(1);
    await expect(conflict.locator('.wl__bed')).toContainText(HIS_TRANSFER_NOT_IN_CDR.bed);
    await expect(conflict.getByTestId('worklist-bed-conflict')).toHaveAttribute('title', new RegExp(`${HIS_TRANSFER_NOT_IN_CDR.cdrBed}`));
    await expect(page.getByTestId('worklist-census-failure')).toHaveCount(0);
    await conflict.scrollIntoViewIfNeeded();
    await screenshot(page, 'worklist-person-zh-CN');

    // A row opens at once with both systems' records.
    await conflict.dblclick();
    await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
    await page.getByTestId('worklist-back').click();

    // The HIS refuses the census query (MSA AR): the list says whose census is missing, and that it may be incomplete.
    hospital.his.faults.set({ errorRate: 1, nakCode: 'AR' });
    await page.reload();
    const failure = page.getByTestId('worklist-census-failure');
    await expect(failure).toContainText('HIS', { timeout: OPEN_TIMEOUT });
    await expect(failure).toContainText('可能不完整');
    await expect(page.getByTestId('worklist-state')).toHaveAttribute('data-live', 'done', { timeout: OPEN_TIMEOUT });
    await screenshot(page, 'worklist-census-failure-zh-CN');
    await page.getByTestId('language-switch').selectOption('en');
    await expect(failure).toContainText('may be incomplete');
    await expect(conflict.getByTestId('worklist-bed-conflict')).toHaveText('Beds differ');
    await screenshot(page, 'worklist-census-failure-en');
    hospital.his.faults.reset();
    expect(problems).toEqual([]);
  });
});
