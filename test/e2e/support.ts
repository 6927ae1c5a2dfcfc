import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';

export const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/** The browser host started by global-setup; each test arrives already signed in. */
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

/** Signs in as the ward doctor and opens 张伟 by his CDR MRN, waiting until the banner says open. */
export async function openDemoPatientAsDoctor(page: Page): Promise<void> {
  await openAppAs(page);
  await page.getByTestId('patient-search-input').fill(DEMO_PATIENT.mrn);
  await page.getByTestId('patient-search-input').press('Enter');
  await searchSettled(page);
  await page.getByTestId('patient-result').click();
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
}
