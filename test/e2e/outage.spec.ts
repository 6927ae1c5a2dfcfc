import { expect, test, type Page } from '@playwright/test';
import { serveOwnWorkstation, signInToOwn, type OwnWorkstation } from './own-workstation.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { screenshot, searchSettled, showTimeline, watchConsole } from './support.ts';

/**
 * An outage of its own: a demo hospital and browser host for this spec alone, so its systems can
 * hang without touching the shared host the other specs use.
 */
// Deadlines a loaded machine's live answers meet: with eight CPU burners beside other work (load ≈ 30)
// a 1 s search deadline left the HIS out of the day's-work search, and a 6 s one failed a live open.
// The outage's expectations wait beyond them.
const DEADLINE_MS = 15_000;
/** Long enough for a hung system's deadline plus a loaded machine's own delay. */
const OUTAGE_TIMEOUT = DEADLINE_MS + 30_000;
let hospital: DemoHospital;
let served: OwnWorkstation;
const allFaults = () => [hospital.fhir.faults, hospital.his.faults, hospital.lis.faults, hospital.platform.faults];

test.beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: false });
  served = await serveOwnWorkstation(hospital.config, 'outage', DEADLINE_MS);
});
test.afterAll(async () => {
  for (const f of allFaults()) f.reset();
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
  // Cached entries say so where they are: in the timeline (the ward doctor lands on the summary).
  await showTimeline(page);
}

test('every system down: the banner says what is cached and since when, and cached entries say so where they are', async ({ page }) => {
  const problems = watchConsole(page);
  await signInToOwn(page, served);
  // The day's work: every system answers and its part is cached (the outage below relies on it).
  const input = page.getByTestId('patient-search-input');
  await input.fill(DEMO_PATIENT.nameHanzi);
  await input.press('Enter');
  await expect(page.getByTestId('patient-search-status')).toContainText('找到');
  await expect(page.getByTestId('patient-search-pending')).toHaveCount(0);
  for (const id of ['cdr', 'his', 'emr-platform']) {
    await expect(page.getByTestId('patient-result').first().locator(`[data-source-id="${id}"]`)).toBeVisible();
  }
  await openZhang(page);
  await expect(page.getByTestId('outage-banner')).toHaveCount(0);
  await expect(page.locator('[data-testid="provenance-chip"][data-stale="true"]')).toHaveCount(0);
  await page.getByTestId('patient-banner-close').click();

  for (const f of allFaults()) f.set({ hang: true });
  await input.fill(DEMO_PATIENT.nameHanzi);
  await input.press('Enter');
  // Before the deadline: a hung system is never "正常"; it says it hangs and for how long, even
  // though the day's-work call to it succeeded seconds ago.
  const cdrStatus = page.locator('[data-testid="source-status-bar"] [data-testid="source-status"][data-source-id="cdr"]');
  await expect(cdrStatus).toHaveAttribute('data-shown', 'hung');
  await expect(cdrStatus).toContainText(/无应答.*已等待 \d+ 秒/);
  await expect(cdrStatus).not.toContainText('正常');
  await screenshot(page, 'outage-0-hung-waiting');
  await openZhang(page);
  const banner = page.getByTestId('outage-banner');
  await expect(banner).toHaveAttribute('data-all-down', 'true', { timeout: OUTAGE_TIMEOUT });
  for (const id of ['cdr', 'his', 'lis', 'emr-platform']) {
    const line = banner.locator(`[data-testid="outage-source"][data-source-id="${id}"]`);
    await expect(line).toHaveAttribute('data-reading', 'cached', { timeout: OUTAGE_TIMEOUT });
    // "… 显示的是 2026/12/07 09:46 的缓存": the date and the time of the copy.
    await expect(line).toContainText(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
  }
  // On a one-system chip, or once after a merged row's short chips: the date and time of the copy.
  const staleMark = page.locator('[data-testid="timeline-entry"] [data-testid="stale-mark"]').first();
  await expect(staleMark).toContainText(/缓存 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
  // The LIS part (reached through the HIS's cross-reference when it is up) is still there.
  await expect(page.locator('[data-testid="provenance-chip"][data-source-id="lis"]').first()).toBeVisible();
  await screenshot(page, 'outage-1-all-down');

  // One system back: the banner names only the others.
  hospital.fhir.faults.reset();
  await page.getByTestId('patient-banner-close').click();
  await openZhang(page);
  await expect(banner).not.toHaveAttribute('data-all-down', 'true', { timeout: OUTAGE_TIMEOUT });
  await expect(banner.locator('[data-source-id="cdr"]')).toHaveCount(0);
  await expect(banner.locator('[data-source-id="lis"]')).toHaveAttribute('data-reading', 'cached', { timeout: OUTAGE_TIMEOUT });
  await screenshot(page, 'outage-2-some-down');
  expect(problems).toEqual([]);
});

test('no patient open and every system down: the global banner says only cached patients can be read; both banners in English', async ({
  page,
}) => {
  const problems = watchConsole(page);
  for (const f of allFaults()) f.reset();
  await signInToOwn(page, served);
  // The day's work first, so the outage below has a cached copy of him to show.
  await openZhang(page);
  await page.getByTestId('patient-banner-close').click();
  await page.getByTestId('language-switch').selectOption('en');
  try {
    for (const f of allFaults()) f.set({ hang: true });
    await openZhang(page);
    const banner = page.getByTestId('outage-banner');
    await expect(banner).toHaveAttribute('data-all-down', 'true', { timeout: OUTAGE_TIMEOUT });
    await expect(banner).toContainText('No system is answering — everything below is cached on this workstation and may be out of date');
    const lis = banner.locator('[data-testid="outage-source"][data-source-id="lis"]');
    await expect(lis).toHaveAttribute('data-reading', 'cached', { timeout: OUTAGE_TIMEOUT });
    await expect(lis).toContainText(/ is down — showing its data as cached at \S/);
    // With a patient open, his banner speaks; the global one is for the empty screen only.
    await expect(page.getByTestId('global-outage-banner')).toHaveCount(0);
    await screenshot(page, 'outage-3-all-down-en');

    // No patient open: the whole workstation is down, said once at the top.
    await page.getByTestId('patient-banner-close').click();
    const global = page.getByTestId('global-outage-banner');
    await expect(global).toBeVisible({ timeout: OUTAGE_TIMEOUT });
    await expect(global).toHaveText('No hospital system is answering — only patients cached on this workstation can be read');
    await expect(page.getByTestId('outage-banner')).toHaveCount(0);
    await screenshot(page, 'outage-4-global-en');
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await expect(global).toHaveText('所有医院系统均不可用 — 只能查看本机缓存中的患者');
    await screenshot(page, 'outage-5-global-zh-CN');

    // A system answers again: the global banner goes once the next call to it succeeds.
    for (const f of allFaults()) f.reset();
    await page.getByTestId('patient-search-input').fill(DEMO_PATIENT.nameHanzi);
    await page.getByTestId('patient-search-input').press('Enter');
    await searchSettled(page);
    await expect(global).toHaveCount(0, { timeout: OUTAGE_TIMEOUT });
  } finally {
    for (const f of allFaults()) f.reset();
    await page.getByTestId('language-switch').selectOption('zh-CN');
  }
  expect(problems).toEqual([]);
});
