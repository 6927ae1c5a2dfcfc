import { expect, test, type Page } from '@playwright/test';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { DEFAULT_CALL_LIMITS, FAST_STRETCH_MINUTES, type CallKind } from '../../src/shared/config/call-limits.ts';
import { serveOwnWorkstation, signInToOwn, type OwnWorkstation } from './own-workstation.ts';
import { OPEN_TIMEOUT, openAppAs, screenshot, searchSettled, watchConsole } from './support.ts';

/** The kind of call each API request is, as main's per-user limits count it; undefined: never limited. */
function kindOf(method: string, body: string | null): CallKind | undefined {
  if (method === 'searchPatients') return 'search';
  if (method === 'openPatient') return 'open';
  if (method === 'listWorklist') return body?.includes('"systems"') ? 'worklist' : undefined;
  if (method === 'checkSources') return 'source-check';
  if (method === 'exportDeidentified') return body?.includes('"study"') ? 'study-export' : undefined;
  return undefined;
}

/** Counts the page's limited calls per kind, and any refused one, from the requests it sends. */
function countCalls(page: Page): { counts: Record<CallKind, number>; refused: string[] } {
  const counts = Object.fromEntries(Object.keys(DEFAULT_CALL_LIMITS).map((k) => [k, 0])) as Record<CallKind, number>;
  const refused: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (!path.startsWith('/api/')) return;
    const kind = kindOf(path.slice('/api/'.length), request.postData());
    if (kind) counts[kind] += 1;
  });
  page.on('response', (response) => {
    if (response.status() === 429) refused.push(new URL(response.url()).pathname);
  });
  return { counts, refused };
}

async function searchFor(page: Page, query: string): Promise<void> {
  const input = page.getByTestId('patient-search-input');
  await input.fill(query);
  await input.press('Enter');
  await searchSettled(page);
}

/**
 * What a ward doctor's busy stretch asks of main: the ward list, 20 patients opened from it one
 * after another (back to the list between them), and a few searches typed and re-typed. Measured
 * here so the defaults stay well above it; the counts are printed for docs/benchmarks.md.
 */
test('a ward doctor opening 20 patients from the ward list and searching stays far under every default limit', async ({ page }) => {
  test.setTimeout(600_000);
  const problems = watchConsole(page);
  const { counts, refused } = countCalls(page);
  await openAppAs(page, 'doctor');
  const worklist = page.getByTestId('worklist');
  const state = page.getByTestId('worklist-state');
  await expect(state).toHaveAttribute('data-live', 'done', { timeout: OPEN_TIMEOUT });
  const rows = page.getByTestId('worklist-row');
  const opened = Math.min(20, await rows.count());
  expect(opened).toBeGreaterThanOrEqual(20);
  for (let i = 0; i < opened; i++) {
    await rows.nth(i).dblclick();
    await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
    await page.getByTestId('worklist-back').click();
    await expect(worklist).toBeVisible();
    await expect(state).toHaveAttribute('data-live', 'done', { timeout: OPEN_TIMEOUT });
  }
  // Typed, corrected and typed again, as at the bedside: a surname, a full name, an MRN.
  for (const query of ['张', '王', '王芳', 'zhang wei', '李', '刘洋', '陈静', DEMO_PATIENT.nameHanzi]) await searchFor(page, query);
  await page.getByTestId('patient-result').first().click();
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });

  console.log(`a ward doctor's stretch: ${JSON.stringify(counts)} limited calls`);
  expect(refused).toEqual([]);
  for (const [kind, count] of Object.entries(counts) as [CallKind, number][]) {
    // The stretch done at a fast doctor's pace uses a third of what the defaults allow in that time at most.
    const { burst, perMinute } = DEFAULT_CALL_LIMITS[kind];
    expect(3 * count, kind).toBeLessThanOrEqual(burst + FAST_STRETCH_MINUTES * perMinute);
  }
  expect(problems).toEqual([]);
});

test.describe('over the limit', () => {
  let hospital: DemoHospital;
  let served: OwnWorkstation;

  test.beforeAll(async () => {
    hospital = await startDemoHospital({ pacs: false });
    // A workstation of this spec's own whose searches run out after two: the shared one's buckets stay untouched.
    served = await serveOwnWorkstation(
      { ...hospital.config, access: { ...hospital.config.access, callLimits: { search: { burst: 2, perMinute: 1 } } } },
      'call-limits',
      15_000,
    );
  });
  test.afterAll(async () => {
    await served?.close();
    await hospital?.stop();
  });

  test('the search says the account asked too much and when to try again, in Chinese and in English', async ({ page }) => {
    await signInToOwn(page, served);
    await searchFor(page, '张伟');
    await searchFor(page, '王芳');
    const input = page.getByTestId('patient-search-input');
    await input.fill('李');
    await input.press('Enter');
    const error = page.locator('.ps__error');
    await expect(error).toContainText('请求过多');
    await expect(error).toContainText(/请 \d+ 秒后再试/);
    await screenshot(page, 'call-limit-search-zh-CN');
    await page.getByTestId('language-switch').selectOption('en');
    await input.fill('Liu');
    await input.press('Enter');
    await expect(error).toContainText('too many requests');
    await expect(error).toContainText(/try again in \d+ s/);
    await screenshot(page, 'call-limit-search-en');
  });
});
