// Issue 16, critical values (危急值) and medication risks (用药风险): signed in as the demo ward
// doctor, 张伟's potassium 6.2 mmol/L (flagged HH by the laboratory) is at the top of the open
// patient; the doctor acknowledges it; after a reload it is still acknowledged with who and when;
// the sealed audit log holds the acknowledgement; the eGFR + metformin risk alert says why and
// opens its entry in the timeline.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openDemoPatientAsDoctor, openFromSearch, OPEN_TIMEOUT, screenshot, watchConsole } from './support.ts';

/** `huizhen audit list --json` over the e2e workstation's cache and audit log (global-setup's). */
function auditActions(): { action: string; user?: { displayName?: string }; entity?: { detail?: string } }[] {
  const home = process.env.HUIZHEN_E2E_HOME;
  const fhir = process.env.HUIZHEN_E2E_FHIR;
  if (!home || !fhir) throw new Error('run through playwright.config.ts (global setup)');
  const dir = mkdtempSync(join(tmpdir(), 'huizhen-e2e-audit-'));
  const configFile = join(dir, 'hospital.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      sources: [{ id: 'cdr', kind: 'fhir', name: 'CDR', baseUrl: fhir }],
      cache: { enabled: true, directory: join(home, 'cache'), passphraseEnv: 'HUIZHEN_E2E_CACHE_PASSPHRASE' },
    }),
  );
  const cli = spawnSync(
    process.execPath,
    [join(import.meta.dirname, '..', '..', 'bin', 'huizhen.mjs'), 'audit', 'list', '--config', configFile, '--json'],
    { encoding: 'utf8', env: process.env },
  );
  if (cli.status !== 0) throw new Error(`huizhen audit list failed (${cli.status}): ${cli.stderr}`);
  return (JSON.parse(cli.stdout) as { events: { event: ReturnType<typeof auditActions>[number] }[] }).events.map((e) => e.event);
}

test('critical value at the top, acknowledged with who/when across a reload and in the audit log; the risk alert says why', async ({
  page,
}) => {
  const problems = watchConsole(page);
  await openDemoPatientAsDoctor(page);

  // At the top of the patient, above the tabs: the potassium, unacknowledged.
  const strip = page.getByTestId('critical-values');
  await expect(strip).toBeVisible({ timeout: OPEN_TIMEOUT });
  const potassium = strip.getByTestId('critical-value').filter({ hasText: '6.2' });
  await expect(potassium).toHaveCount(1);
  await expect(potassium).toHaveAttribute('data-acknowledged', 'false');
  await expect(potassium).toContainText('HH');
  await expect(potassium).toContainText('↑↑');
  const stripBox = (await strip.boundingBox())!;
  const tabsBox = (await page.getByRole('tablist').first().boundingBox())!;
  expect(stripBox.y).toBeLessThan(tabsBox.y);

  // The risk alert says why: the eGFR value and the metformin order, each a link to its entry.
  const egfrRisk = strip.locator('[data-testid="risk-alert"][data-rule="egfr-low-with-metformin"]');
  await expect(egfrRisk).toHaveCount(1);
  await expect(egfrRisk).toContainText('二甲双胍');
  const evidence = egfrRisk.getByTestId('risk-evidence');
  await expect(evidence.filter({ hasText: '24' })).toHaveCount(1);
  await expect(evidence.filter({ hasText: /二甲双胍|Metformin/ })).toHaveCount(1);
  await screenshot(page, '70-critical-values');

  // Acknowledge: who and when appear at once.
  const before = auditActions().filter((e) => e.action === 'critical-value-acknowledge').length;
  await potassium.getByRole('button', { name: '确认已知晓' }).click();
  await expect(potassium).toHaveAttribute('data-acknowledged', 'true');
  await expect(potassium.getByTestId('critical-ack')).toContainText('李医生');
  await expect(strip).toHaveAttribute('data-unacknowledged', '0');

  // Reload and open him again: still acknowledged, with who and when.
  await page.reload();
  await openFromSearch(page, 'CDR-000001');
  const again = page.getByTestId('critical-values').getByTestId('critical-value').filter({ hasText: '6.2' });
  await expect(again).toHaveAttribute('data-acknowledged', 'true', { timeout: OPEN_TIMEOUT });
  await expect(again.getByTestId('critical-ack')).toContainText(/李医生 于 \S+/);
  await screenshot(page, '71-critical-value-acknowledged');

  // The sealed audit log has exactly one more acknowledgement, by 李医生.
  const acks = auditActions().filter((e) => e.action === 'critical-value-acknowledge');
  expect(acks).toHaveLength(before + 1);
  expect(acks.at(-1)).toMatchObject({ user: { displayName: '李医生' } });

  // The evidence opens its entry in the timeline.
  await page
    .getByTestId('critical-values')
    .locator('[data-rule="egfr-low-with-metformin"]')
    .getByTestId('risk-evidence')
    .filter({ hasText: '24' })
    .click();
  await expect(page.getByTestId('tab-timeline')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('timeline-detail').getByTestId('timeline-detail-value')).toContainText('24');

  // In English too.
  await page.getByTestId('language-switch').selectOption('en');
  const strip2 = page.getByTestId('critical-values');
  await expect(strip2.getByTestId('critical-value').filter({ hasText: '6.2' }).getByTestId('critical-ack')).toContainText(
    'Acknowledged by 李医生',
  );
  await expect(strip2.locator('[data-rule="egfr-low-with-metformin"]')).toContainText('eGFR < 30 on metformin');
  await screenshot(page, '72-critical-values-en');
  await page.getByTestId('language-switch').selectOption('zh-CN');
  expect(problems).toEqual([]);
});
