import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { serveWorkstation } from '../../src/main/host/serve-workstation.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { startHeldTcpProxy, type HeldTcpProxy } from '../support/held-tcp-proxy.ts';
import { startFreezableHospital, type FreezableHospital } from '../support/outage-hospital.ts';
import { OPEN_TIMEOUT, openAppAs, screenshot, showTimeline, watchConsole } from './support.ts';

/**
 * Issue 17's safety bug: a result clicked before the search settled opened only the systems that had
 * answered, and never the rest. Here the HIS is slow (a proxy holds its connections until the test
 * lets them through): the patient is opened before it answers, the banner says it is still being
 * asked, then it answers and its part joins the open patient in place.
 */
const SLOW = 'his';
/** Long enough that the HIS's answer comes only when the test lets it, not at its deadline. */
const DEADLINE_MS = 150_000;
let hospital: FreezableHospital;
let proxy: HeldTcpProxy;
let served: Awaited<ReturnType<typeof serveWorkstation>>;

test.beforeAll(async () => {
  hospital = await startFreezableHospital();
  const his = hospital.config.sources.find((s) => s.id === SLOW);
  if (his?.kind !== 'hl7v2') throw new Error('the demo hospital has no MLLP HIS');
  proxy = await startHeldTcpProxy({ host: his.host, port: his.port });
  const home = mkdtempSync(join(tmpdir(), 'huizhen-e2e-open-extend-'));
  process.env.HUIZHEN_E2E_OPEN_EXTEND_PASSPHRASE = 'e2e open extend passphrase';
  served = await serveWorkstation({
    config: parseConfig(
      {
        ...hospital.config,
        sources: hospital.config.sources.map((s) =>
          s.id === SLOW && s.kind === 'hl7v2'
            ? { ...s, port: proxy.port, resilience: { ...s.resilience, timeoutMs: DEADLINE_MS, searchTimeoutMs: DEADLINE_MS, retries: 0 } }
            : { ...s, resilience: { ...s.resilience, timeoutMs: 30_000, searchTimeoutMs: 30_000 } },
        ),
        cache: { enabled: true, directory: join(home, 'cache'), passphraseEnv: 'HUIZHEN_E2E_OPEN_EXTEND_PASSPHRASE' },
      },
      'demo hospital',
    ),
    rendererDir: join(import.meta.dirname, '..', '..', 'dist-renderer'),
  });
});
test.afterAll(async () => {
  await served?.close();
  await proxy?.close();
  await hospital?.stop();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(served.host.newLoginUrl());
  await openAppAs(page, 'doctor', served.host.origin);
}

test('a patient opened before a slow system answered gains that system’s part in place when it answers', async ({ page }) => {
  test.setTimeout(DEADLINE_MS + 120_000);
  const problems = watchConsole(page);
  await signIn(page);
  const input = page.getByTestId('patient-search-input');
  await input.fill(DEMO_PATIENT.nameHanzi);
  await input.press('Enter');
  const pending = page.getByTestId('patient-search-pending');
  // The other systems answered; the HIS is still asked.
  await expect(pending).toHaveAttribute('data-pending', SLOW, { timeout: 60_000 });
  const result = page.getByTestId('patient-result').first();
  await expect(result).toBeVisible();
  await result.click();

  const banner = page.getByTestId('patient-banner');
  await expect(banner).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
  // The ward doctor lands on the safety summary; the sources' filter is the timeline's.
  await showTimeline(page);
  const asking = page.getByTestId('patient-banner-asking');
  await expect(asking).toHaveAttribute('data-asking', SLOW);
  await expect(asking).toContainText('仍在询问');
  await expect(banner.locator(`[data-testid="patient-banner-system"][data-source-id="${SLOW}"]`)).toHaveCount(0);
  const progress = page.getByTestId('patient-banner-progress');
  const loaded = async () => Number((await progress.innerText()).replace(/\D/g, ''));
  const before = await loaded();
  expect(before).toBeGreaterThan(0);
  // The HIS cross-references the LIS record (PIX): without it, the LIS part is not known either.
  const lisFilter = page.getByTestId('timeline-source-filter').locator('[data-source-id="lis"]');
  await expect(lisFilter).toHaveCount(0);
  await screenshot(page, 'open-extend-1-opened-while-his-asked');

  // The HIS answers: the search settles with its record, and the open patient gains it in place.
  proxy.release();
  await expect(pending).toHaveCount(0, { timeout: 60_000 });
  await expect(asking).toHaveCount(0, { timeout: 60_000 });
  await expect(banner.locator(`[data-testid="patient-banner-system"][data-source-id="${SLOW}"]`)).not.toHaveCount(0, {
    timeout: OPEN_TIMEOUT,
  });
  await expect(banner).toHaveAttribute('data-state', 'open');
  await expect(banner.locator('[data-testid="patient-banner-system"][data-source-id="lis"]')).not.toHaveCount(0);
  // The timeline merged the parts the HIS's answer brought: more records, the LIS's results among them.
  await expect.poll(loaded, { timeout: OPEN_TIMEOUT }).toBeGreaterThan(before);
  await expect(lisFilter).toBeVisible();
  await expect(page.getByTestId('patient-banner-extension-refused')).toHaveCount(0);
  await lisFilter.click();
  await expect(page.locator('[data-testid="provenance-chip"][data-source-id="lis"]').first()).toBeVisible();
  await expect(page.locator(`[data-testid="source-status"][data-source-id="${SLOW}"]`)).not.toContainText('加载中');
  await screenshot(page, 'open-extend-2-his-part-joined');
  expect(problems).toEqual([]);
});
