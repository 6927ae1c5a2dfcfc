import { expect, test, type Locator, type Page } from '@playwright/test';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { serveOwnWorkstation, signInToOwn, type OwnWorkstation } from './own-workstation.ts';
import { screenshot, searchSettled, showTimeline, watchConsole } from './support.ts';

/**
 * Systems that are stopped, not hung: their processes gone, their ports closed, every connection
 * refused at once. A hospital of this spec's own, so stopping it touches no other spec.
 */
const DEADLINE_MS = 15_000;
/** A refused connection fails at once; this is for a loaded machine's own delay. */
const OUTAGE_TIMEOUT = DEADLINE_MS + 30_000;
const RECORD_SYSTEMS = ['cdr', 'his', 'lis', 'emr-platform'];
let hospital: DemoHospital;
let served: OwnWorkstation;

test.beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: false });
  served = await serveOwnWorkstation(hospital.config, 'outage-stopped', DEADLINE_MS);
});
test.afterAll(async () => {
  await served?.close();
  await hospital?.stop();
});

async function openZhang(page: Page): Promise<void> {
  const input = page.getByTestId('patient-search-input');
  await input.fill(DEMO_PATIENT.nameHanzi);
  await input.press('Enter');
  await searchSettled(page);
  await page.getByTestId('patient-result').first().click();
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OUTAGE_TIMEOUT });
}

/** Every chip name shown whole: nothing clipped by an ancestor, no text cut to an ellipsis. */
async function cutChips(chips: Locator): Promise<string[]> {
  return chips.evaluateAll((els) =>
    els.flatMap((chip) => {
      const own = chip.getBoundingClientRect();
      if (own.width === 0) return [];
      const name = chip.querySelector('.tl-chip__src');
      if (name && name.scrollWidth > name.clientWidth + 0.5) return [`${chip.textContent} cut to ${name.clientWidth}px`];
      for (let p = chip.parentElement; p; p = p.parentElement) {
        if (getComputedStyle(p).overflowX === 'visible') continue;
        const box = p.getBoundingClientRect();
        if (own.right > box.right + 0.5 || own.left < box.left - 0.5) return [`${chip.textContent} outside .${p.className}`];
      }
      return [];
    }),
  );
}

test('every system stopped: the banner says each is down with its cached data and when, the bar says why, in zh-CN and en', async ({
  page,
}) => {
  test.setTimeout(6 * OUTAGE_TIMEOUT);
  const problems = watchConsole(page);
  await signInToOwn(page, served);
  // The day's work: every system answers and its part is cached.
  await openZhang(page);
  await expect(page.getByTestId('outage-banner')).toHaveCount(0);
  await page.getByTestId('patient-banner-close').click();

  // The record systems stop: their ports close and every connection is refused.
  const stopped = hospital.systems.filter((s) => s.protocol === 'fhir' || s.protocol === 'hl7v2' || s.protocol === 'hl7v3');
  await Promise.all(stopped.map((s) => s.stop()));

  await openZhang(page);
  const banner = page.getByTestId('outage-banner');
  await expect(banner).toHaveAttribute('data-all-down', 'true', { timeout: OUTAGE_TIMEOUT });
  await expect(banner).toContainText('所有系统均不可用');
  for (const id of RECORD_SYSTEMS) {
    const line = banner.locator(`[data-testid="outage-source"][data-source-id="${id}"]`);
    await expect(line).toHaveAttribute('data-reading', 'cached', { timeout: OUTAGE_TIMEOUT });
    await expect(line).toContainText(/不可用 — 显示的是 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2} 的缓存/);
    // The status bar: the cache's copy, and why the live call failed — refused, not a timeout.
    const item = page.locator(`[data-testid="source-status-bar"] [data-testid="source-status"][data-source-id="${id}"]`);
    await expect(item).toHaveAttribute('data-state', /cached|failed|circuit-open/);
    await expect(item).toContainText('原因：无法连接');
    await expect(item).not.toContainText('正常');
  }
  await showTimeline(page);
  const chips = page.locator('[data-testid="timeline-entry"] [data-testid="provenance-chip"]');
  await expect(chips.and(page.locator('[data-stale="true"]')).first()).toBeVisible();
  await expect(page.locator('[data-testid="timeline-entry"] [data-testid="stale-mark"]').first()).toContainText(
    /缓存 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/,
  );
  expect(await cutChips(chips)).toEqual([]);
  await screenshot(page, 'outage-stopped-1-zh-CN');

  // Grouped by visit: the chips are as readable there.
  await page.getByTestId('timeline-group-by').locator('[data-group="encounter"]').click();
  await expect(chips.first()).toBeVisible();
  expect(await cutChips(chips)).toEqual([]);
  await screenshot(page, 'outage-stopped-2-by-visit-zh-CN');
  await page.getByTestId('timeline-group-by').locator('[data-group="day"]').click();

  await page.getByTestId('language-switch').selectOption('en');
  try {
    await expect(banner).toContainText('No system is answering');
    for (const id of RECORD_SYSTEMS) {
      const line = banner.locator(`[data-testid="outage-source"][data-source-id="${id}"]`);
      await expect(line).toContainText(/ is down — showing its data as cached at \S/);
      const item = page.locator(`[data-testid="source-status-bar"] [data-testid="source-status"][data-source-id="${id}"]`);
      await expect(item).toContainText('Reason: Unreachable');
      await expect(item).not.toHaveAttribute('data-state', 'ok');
    }
    await screenshot(page, 'outage-stopped-3-en');
  } finally {
    await page.getByTestId('language-switch').selectOption('zh-CN');
  }
  expect(problems).toEqual([]);
});
