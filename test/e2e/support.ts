import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { adoptWorkerHost } from './worker-host.ts';

// Every spec imports this file: from here on HUIZHEN_E2E_ORIGIN and the rest name this worker's host.
adoptWorkerHost();

export const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/** This worker's browser host, started by global-setup; each test arrives with its cookie. */
export function hostOrigin(): string {
  const origin = process.env.HUIZHEN_E2E_ORIGIN;
  if (!origin) throw new Error('HUIZHEN_E2E_ORIGIN is not set: run through playwright.config.ts (global setup)');
  return origin;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}

/** Collects console errors and CSP violations, which must stay empty on every screen. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

/**
 * Signs the workstation's one session in as a demo staff member (password "huizhen-demo") through
 * the API, then loads the app: every test starts from a known user, whatever the previous one did.
 */
export async function openAppAs(
  page: Page,
  username: 'doctor' | 'nurse' | 'radiologist' | 'admin' = 'doctor',
  origin = hostOrigin(),
): Promise<void> {
  const headers = { origin, 'content-type': 'application/json' };
  // The login URL has loaded the app, which may still be signed in from an earlier test and
  // calling the API: leave it before the session changes under it (its calls then get 401s).
  await page.goto('about:blank');
  await page.request.post(`${origin}/api/signOut`, { data: {}, headers });
  const signIn = await page.request.post(`${origin}/api/signInLocal`, { data: { username, password: 'huizhen-demo' }, headers });
  if (!signIn.ok()) throw new Error(`signing in as ${username} failed: HTTP ${signIn.status()} ${await signIn.text()}`);
  await page.goto(`${origin}/`);
}

/** Generous: an open fans out to the demo hospital, and CI machines are shared. */
export const OPEN_TIMEOUT = 45_000;

/**
 * Waits until the search has settled: every system answered or was given up on. A result clicked
 * before that is the candidate so far (the cache's, and the systems that answered first), and
 * opens only the records it knows of; on a loaded machine the HIS and PACS parts came later.
 */
export async function searchSettled(page: Page): Promise<void> {
  await expect(page.getByTestId('patient-search-status')).toHaveAttribute('data-status', 'done', { timeout: OPEN_TIMEOUT });
}

/**
 * Searches, waits until the search has settled, opens the first result (or the first whose text
 * has `hasText`) and waits until the banner says open: every spec opens a patient this way, so
 * none clicks a candidate that is still being filled in by slower systems.
 */
export async function openFromSearch(page: Page, query: string, hasText?: string): Promise<void> {
  const input = page.getByTestId('patient-search-input');
  await input.fill(query);
  await input.press('Enter');
  await searchSettled(page);
  const results = page.getByTestId('patient-result');
  await (hasText ? results.filter({ hasText }) : results).first().click();
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
}

/** Signs in as `username`, opens the demo patient and its imaging tab; resolves with the panel once it is ready on `studyUid`. */
export async function openImagingAs(page: Page, username: Parameters<typeof openAppAs>[1], studyUid: string): Promise<Locator> {
  await openAppAs(page, username);
  await openFromSearch(page, DEMO_PATIENT.mrn);
  await page.getByTestId('tab-imaging').click();
  const panel = page.locator('[data-tab-panel="imaging"]').getByTestId('imaging-panel');
  await expect(panel).toHaveAttribute('data-study-uid', studyUid);
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  return panel;
}

/** Ward doctors and nurses open a patient on the safety summary (issue 16): specs about the timeline go to it. */
export async function showTimeline(page: Page): Promise<void> {
  await page.getByTestId('tab-timeline').click();
  await expect(page.getByTestId('tab-timeline')).toHaveAttribute('aria-selected', 'true');
}

/** Signs in as the ward doctor and opens 张伟 by his CDR MRN, waiting until the banner says open. */
export async function openDemoPatientAsDoctor(page: Page): Promise<void> {
  await openAppAs(page);
  await openFromSearch(page, DEMO_PATIENT.mrn);
}
