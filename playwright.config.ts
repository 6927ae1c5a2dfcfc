import { defineConfig } from '@playwright/test';
import { authStatePath, workerIndex } from './test/e2e/worker-host.ts';

/** Flags that let Debian's Chromium run headless on a closed network (see README). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
];

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  fullyParallel: false,
  // Two workers on the two cores, each with a demo hospital and a browser host of its own
  // (global-setup): the tests mostly wait on those and on Chromium, so two nearly halve the wall time.
  workers: 2,
  // A whole test (sign in, open, reload, a CLI call) took up to 2 min with eight CPU burners on
  // the two cores and other sessions' work (load 13–39): sized for that, not for a quiet machine.
  timeout: 180_000,
  // The last resort on CI: a run stuck anywhere (a teardown, a child process) ends with a report.
  globalTimeout: process.env.CI ? 60 * 60_000 : 0,
  // Expectations wait on the app's own state; a busy CI machine (load ≈ 10 on 2 cores) needs
  // more than Playwright's 5 s default for an open or a first image.
  expect: { timeout: 20_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    // The config is loaded again in each worker, where TEST_PARALLEL_INDEX names its host's cookie.
    storageState: authStatePath(workerIndex()),
    // Without these a click on a row that never comes, or a page that never loads, waits for the
    // whole test timeout and says only "timed out"; with them it fails at its line, naming what.
    actionTimeout: 45_000,
    navigationTimeout: 60_000,
    trace: 'retain-on-failure',
  },
});
