import { defineConfig } from '@playwright/test';

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
  workers: 1,
  // A whole test (sign in, open, reload, a CLI call) took up to 2 min with eight CPU burners on
  // the two cores and other sessions' work (load 13–39): sized for that, not for a quiet machine.
  timeout: 180_000,
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
    storageState: 'test-results/e2e-auth.json',
    trace: 'retain-on-failure',
  },
});
