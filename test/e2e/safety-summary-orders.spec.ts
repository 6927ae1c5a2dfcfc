// Issue 16, HIS orders in the safety summary: the demo HIS pushes its two pharmacy orders (RDE^O11,
// src/demo-hospital/his-mllp/his-orders.ts) for 张伟 over MLLP to the workstation's listener — atorvastatin, which the CDR orders and the
// EMR's 出院小结 repeats, so its line carries three systems; and a DC of amlodipine, which the CDR
// still holds active, so its line stays on the current list marked as disputed.
import { expect, test } from '@playwright/test';
import { pushDemoPharmacyOrders } from '../../src/demo-hospital/his-mllp/his-orders.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { openAppAs, screenshot, watchConsole } from './support.ts';

test('HIS orders: the merged line shows the HIS beside the CDR and the EMR; stopped in the HIS, active in the CDR is marked', async ({
  page,
}) => {
  const problems = watchConsole(page);
  // The demo HIS pushes its pharmacy orders as `npm start` has it do (enhanced mode: CA once stored).
  expect(await pushDemoPharmacyOrders(Number(process.env.HUIZHEN_E2E_INBOUND_PORT))).toEqual(['CA', 'CA']);

  await openAppAs(page, 'doctor');
  await page.getByTestId('patient-search-input').fill(DEMO_PATIENT.mrn);
  await page.getByTestId('patient-search-input').press('Enter');
  await page.getByTestId('patient-result').first().click();
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: 45_000 });
  await page.keyboard.press('Alt+0');
  const current = page.getByTestId('summary').getByTestId('summary-current-medications');

  const atorvastatin = current.getByTestId('summary-medication').filter({ hasText: '阿托伐他汀' });
  await expect(atorvastatin).toHaveCount(1);
  const chips = atorvastatin.getByTestId('provenance-chip');
  await expect(chips).toHaveCount(3);
  expect((await chips.evaluateAll((els) => els.map((e) => e.getAttribute('data-source-id')))).sort()).toEqual([
    'cdr',
    'emr-platform',
    'his',
  ]);

  const amlodipine = current.getByTestId('summary-medication').filter({ hasText: '氨氯地平' });
  await expect(amlodipine).toHaveCount(1);
  await expect(amlodipine).toHaveAttribute('data-conflict', 'true');
  await expect(amlodipine.getByTestId('conflict-mark')).toBeVisible();
  await expect(amlodipine.locator('[data-testid="provenance-chip"][data-source-id="his"]')).toHaveCount(1);
  await current.scrollIntoViewIfNeeded();
  await screenshot(page, '64-safety-summary-his-orders');

  await page.getByTestId('language-switch').selectOption('en');
  await expect(amlodipine.getByTestId('conflict-mark')).toContainText('Sources disagree');
  await current.scrollIntoViewIfNeeded();
  await screenshot(page, '65-safety-summary-his-orders-en');
  await page.getByTestId('language-switch').selectOption('zh-CN');
  expect(problems).toEqual([]);
});
