/**
 * The workstation as a clinician runs it in the benches: the demo hospital, the browser host
 * over an encrypted cache in a throwaway folder, and Debian's Chromium driven by Playwright.
 * Everything listens on 127.0.0.1 and is stopped by its own handle.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, expect, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import type { SeedProfile } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { serveWorkstation, type ServedWorkstation } from '../../src/main/host/serve-workstation.ts';
import { CHROMIUM_ARGS } from '../../playwright.config.ts';
import { benchCacheDir, type BenchCacheDir } from './bench-cache.ts';

export const RENDERER_DIR = join(import.meta.dirname, '..', '..', 'dist-renderer');
/** Browser-side probes (plain JS: this program is type-checked without the DOM). */
const PAGE_PROBES = join(import.meta.dirname, 'page-probes.js');

export interface BrowserApp {
  hospital: DemoHospital;
  served: ServedWorkstation;
  browser: Browser;
  context: BrowserContext;
  /** Signed in, showing the empty app. */
  page: Page;
  cdp: CDPSession;
  cacheDir: BenchCacheDir;
  /** A new signed-in tab (its own renderer state; the host and its cache are shared). */
  newPage(): Promise<{ page: Page; cdp: CDPSession }>;
  close(): Promise<void>;
}

export async function startBrowserApp(options: { label: string; pacs?: SeedProfile; extraObservations?: number }): Promise<BrowserApp> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error(`no built renderer in ${RENDERER_DIR}: run \`npx vite build\` first`);
  const cacheDir = benchCacheDir(options.label);
  const stack: (() => Promise<void>)[] = [async () => cacheDir.remove()];
  const unwind = async () => {
    for (const stop of stack.reverse()) await stop().catch(() => {});
  };
  try {
    const hospital = await startDemoHospital({
      ...(options.pacs ? { pacs: options.pacs } : {}),
      ...(options.extraObservations !== undefined ? { extraObservations: options.extraObservations } : {}),
    });
    stack.push(() => hospital.stop());
    if (hospital.notices.length > 0) throw new Error(`demo hospital incomplete: ${hospital.notices.join('; ')}`);
    const served = await serveWorkstation({ config: cacheDir.config(hospital.config), rendererDir: RENDERER_DIR });
    stack.push(() => served.close());
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    stack.push(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await context.addInitScript({ path: PAGE_PROBES });
    // The one-time token signs this context in; the 303 lands on the app itself.
    const page = await context.newPage();
    await page.goto(served.host.url);
    // The workstation's one session: the demo ward doctor (password documented in the README).
    await apiCall(page, served.host.origin, 'signInLocal', { username: 'doctor', password: 'huizhen-demo' });
    await page.reload();
    await expect(page.getByTestId('patient-search-input')).toBeVisible({ timeout: 30_000 });
    const cdp = await context.newCDPSession(page);
    return {
      hospital,
      served,
      browser,
      context,
      page,
      cdp,
      cacheDir,
      async newPage() {
        const next = await context.newPage();
        await next.goto(`${served.host.origin}/`);
        await expect(next.getByTestId('patient-search-input')).toBeVisible({ timeout: 30_000 });
        return { page: next, cdp: await context.newCDPSession(next) };
      },
      close: unwind,
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}

async function apiCall(page: Page, origin: string, method: string, payload: unknown): Promise<unknown> {
  const response = await page.request.post(`${origin}/api/${method}`, {
    data: payload,
    headers: { origin, 'content-type': 'application/json' },
  });
  if (!response.ok()) throw new Error(`${method} failed: HTTP ${response.status()} ${await response.text()}`);
  return response.json();
}

/**
 * Patients outside the ward doctor's care open only after breaking the glass (audited); the
 * benchmark does so once per patient it switches to, before it measures.
 */
export async function breakGlassFor(page: Page, origin: string, query: string): Promise<void> {
  const found = (await apiCall(page, origin, 'searchPatients', { query })) as { candidates: { refs: unknown[] }[] };
  const refs = found.candidates.flatMap((c) => c.refs);
  if (refs.length === 0) throw new Error(`no patient matches ${query}`);
  await apiCall(page, origin, 'breakGlass', { refs, reason: 'benchmark: patient switching, synthetic data' });
}

/**
 * Searches (by name or MRN) and opens the first matching candidate the way a ward doctor does,
 * resolving when the search results are there; the caller waits for what it measures.
 */
export async function searchAndOpen(page: Page, query: string, resultText = query): Promise<void> {
  const search = page.getByTestId('patient-search-input');
  await search.fill(query);
  await search.press('Enter');
  const result = page.getByTestId('patient-result').filter({ hasText: resultText }).first();
  await expect(result).toBeVisible({ timeout: 30_000 });
  await result.click();
}

/** Waits until every system answered for the patient named `name` (not the one shown before a switch). */
export async function waitForPatientOpen(page: Page, name: string, timeout = 120_000): Promise<void> {
  await expect(page.getByTestId('patient-banner-name')).toContainText(name, { timeout });
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout });
}

/** The page's JS heap in use after a full garbage collection, in MB (headless has no performance.memory). */
export async function jsHeapUsedMb(cdp: CDPSession, collect = true): Promise<number> {
  if (collect) {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
  }
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value;
  if (used === undefined) throw new Error('Performance.getMetrics reported no JSHeapUsedSize');
  return used / (1024 * 1024);
}
