// An HL7 v3 platform that answers AA with a warning and a patient it could not send whole: the
// status bar reads "answered, with N warnings" for it, never a plain OK, in zh-CN and en.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { PLATFORM_SOURCE_ID } from '../../src/demo-hospital/platform-soap/index.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { serveWorkstation, type ServedWorkstation } from '../../src/main/host/serve-workstation.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { openAppAs, screenshot, watchConsole } from './support.ts';

let hospital: DemoHospital | undefined;
let served: ServedWorkstation | undefined;

test.beforeAll(async () => {
  // A hospital of our own: the platform's warning knob never reaches the other specs.
  hospital = await startDemoHospital({ pacs: false });
  hospital.platform.faults.set({
    answerWarning: { detail: { code: 'RESULT-TRUNCATED', text: '院区B 主索引未响应' }, patientWithoutPerson: true },
  });
  served = await serveWorkstation({
    config: parseConfig({ ...hospital.config, cache: { enabled: false } }, 'answer warnings'),
    rendererDir: join(import.meta.dirname, '..', '..', 'dist-renderer'),
  });
});

test.afterAll(async () => {
  await served?.close();
  await hospital?.stop();
});

test('a partial HL7 v3 answer reads "answered, with warnings" in the status bar, with the platform code in the title', async ({
  page,
  context,
}) => {
  const problems = watchConsole(page);
  await context.clearCookies();
  await page.goto(served!.host.url);
  await openAppAs(page, 'doctor', served!.host.origin);
  await page.getByTestId('patient-search-input').fill(DEMO_PATIENT.nameHanzi);
  await page.getByTestId('patient-search-input').press('Enter');
  await expect(page.getByTestId('patient-result').first()).toBeVisible({ timeout: 45_000 });
  const platform = page.locator(`[data-testid="source-status"][data-source-id="${PLATFORM_SOURCE_ID}"]`);
  await expect(platform).toHaveAttribute('data-state', /ok|slow/);
  await expect(platform).toHaveAttribute('data-warnings', /^[1-9]\d*$/);
  await expect(platform.getByTestId('source-warnings')).toContainText('条警告');
  await expect(platform.locator('.src-item__state')).toHaveText('部分应答');
  // The chip's details (hover and keyboard focus; its description for a screen reader).
  const title = (await platform.getByTestId('source-status-tip').textContent()) ?? '';
  expect(title).toContain('应答可能不完整');
  expect(title).toContain('RESULT-TRUNCATED');
  expect(title).not.toContain('院区B');
  // The systems that answered whole read as before.
  await expect(page.locator('[data-testid="source-status"][data-source-id="cdr"]')).not.toHaveAttribute('data-warnings', /.+/);
  await screenshot(page, '94-source-status-answer-warnings');

  await page.getByTestId('language-switch').selectOption('en');
  await expect(platform.getByTestId('source-warnings')).toContainText('warnings');
  await expect(platform.locator('.src-item__state')).toHaveText('Answered in part');
  expect(await platform.getByTestId('source-status-tip').textContent()).toContain('part of the answer may be missing');
  await screenshot(page, '95-source-status-answer-warnings-en');
  await page.getByTestId('language-switch').selectOption('zh-CN');
  expect(problems).toEqual([]);
});
