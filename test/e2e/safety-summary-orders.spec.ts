// Issue 16, HIS orders in the safety summary: the demo HIS pushes two pharmacy orders (RDE^O11)
// for 张伟 over MLLP to the workstation's listener — atorvastatin, which the CDR orders and the
// EMR's 出院小结 repeats, so its line carries three systems; and a DC of amlodipine, which the CDR
// still holds active, so its line stays on the current list marked as disputed.
import { expect, test } from '@playwright/test';
import { HIS_DEMO_MRN } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { RawMllpSender, field } from '../support/inbound-hl7-harness.ts';
import { openAppAs, screenshot, watchConsole } from './support.ts';

/** Generated orders as the HIS pharmacy interface sends them (local formulary codes). */
const rdeO11 = (controlId: string, control: string, filler: string, drug: string, dose: string, pattern: string): string =>
  [
    `MSH|^~\\&|HIS|HOSP|HUIZHEN|WARD|20261207083000+0800||RDE^O11^RDE_O11|${controlId}|P|2.5.1|||||CHN|UNICODE UTF-8`,
    `PID|1||${HIS_DEMO_MRN}^^^HIS^MR||张^伟^^^^^L^I||19650312|M`,
    `ORC|${control}|P-${filler}^HIS|${filler}^PHARM||${control === 'DC' ? 'DC' : 'IP'}||||20261206090000+0800`,
    `TQ1|1||${pattern}`,
    `RXE||${drug}|${dose}||mg^mg^UCUM|TAB^片^HL70292`,
    'RXR|PO^口服^HL70162',
    '',
  ].join('\r');

test('HIS orders: the merged line shows the HIS beside the CDR and the EMR; stopped in the HIS, active in the CDR is marked', async ({
  page,
}) => {
  const problems = watchConsole(page);
  const sender = await RawMllpSender.connect(Number(process.env.HUIZHEN_E2E_INBOUND_PORT));
  try {
    const placed = rdeO11('E2E-RX-1', 'NW', 'E2E-F1', 'Y0101^阿托伐他汀钙片 20mg^HIS', '20', 'QN^每晚一次^HL70335');
    expect(field(await sender.exchange(placed), 'MSA', 1)).toBe('AA');
    const stopped = rdeO11('E2E-RX-2', 'DC', 'E2E-F2', 'Y0102^苯磺酸氨氯地平片 5mg^HIS', '5', 'QD^每日一次^HL70335');
    expect(field(await sender.exchange(stopped), 'MSA', 1)).toBe('AA');
  } finally {
    sender.close();
  }

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
