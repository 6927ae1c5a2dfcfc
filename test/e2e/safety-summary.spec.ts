// Issue 16, the safety summary: signed in as the demo ward doctor, 张伟's penicillin allergy is
// in the banner, the drug the CDR orders and the EMR's 出院小结 repeats is one line with both
// provenances, and 肺炎 (resolved in the CDR, active in the discharge summary) is marked.
import { expect, test } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { OPEN_TIMEOUT, openAppAs, openFromSearch, screenshot, watchConsole } from './support.ts';

test('safety summary: allergy in the banner, one line per reconciled drug with both systems, the status conflict marked, keyboard to the timeline', async ({
  page,
}) => {
  const problems = watchConsole(page);
  await openAppAs(page, 'doctor');
  await openFromSearch(page, DEMO_PATIENT.mrn);
  // The ward doctor lands on the summary, not the timeline.
  await expect(page.getByTestId('tab-summary')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('summary')).toBeVisible();

  // The allergy is in the banner, before anything else; its reaction shows on keyboard focus.
  const allergies = page.getByTestId('banner-allergies');
  await expect(allergies).toHaveAttribute('data-state', 'recorded');
  const penicillin = allergies.getByTestId('banner-allergy').filter({ hasText: '青霉素' });
  await expect(penicillin).toHaveCount(1);
  await penicillin.focus();
  await expect(penicillin.getByTestId('banner-allergy-tip')).toBeVisible();
  await expect(penicillin.getByTestId('banner-allergy-tip')).toContainText('皮疹');
  await screenshot(page, '60-banner-allergy');

  // Alt+0: the summary, focus on its first line.
  await page.keyboard.press('Alt+0');
  await expect(page.getByTestId('tab-summary')).toHaveAttribute('aria-selected', 'true');
  const summary = page.getByTestId('summary');
  await expect(summary).toBeVisible();
  await expect(summary.getByTestId('summary-allergy').filter({ hasText: '青霉素' })).toHaveCount(1);

  // Metformin: ordered in the CDR, repeated by the EMR's discharge summary: one line, two systems.
  const current = summary.getByTestId('summary-current-medications');
  const metformin = current.getByTestId('summary-medication').filter({ hasText: '二甲双胍' });
  await expect(metformin).toHaveCount(1);
  const chips = metformin.getByTestId('provenance-chip');
  await expect(chips).toHaveCount(2);
  expect((await chips.evaluateAll((els) => els.map((e) => e.getAttribute('data-source-id')))).sort()).toEqual(['cdr', 'emr-platform']);
  await expect(current.getByTestId('summary-medication')).toHaveCount(3);

  // 肺炎: resolved in the CDR, active in the 出院小结: one line, marked.
  const pneumonia = summary.getByTestId('summary-problem').filter({ hasText: '肺炎' });
  await expect(pneumonia).toHaveCount(1);
  await expect(pneumonia).toHaveAttribute('data-conflict', 'true');
  await expect(pneumonia.getByTestId('conflict-mark')).toBeVisible();
  // 2型糖尿病: the same status everywhere, but the onsets differ (its own test below).
  const diabetes = summary.getByTestId('summary-problem').filter({ hasText: '2型糖尿病' });
  await expect(diabetes).toHaveCount(1);
  // Latest weight and height with their dates (the demo's vital signs).
  await expect(summary.getByTestId('summary-weight')).toContainText('kg');
  await expect(summary.getByTestId('summary-height')).toContainText('cm');
  await screenshot(page, '61-safety-summary');

  // Keyboard only: ↓ to 肺炎's line, Enter opens it in the timeline's detail with both values.
  const lines = summary.locator('[data-summary-line]');
  const count = await lines.count();
  const pneumoniaLine = pneumonia.locator('[data-summary-line]');
  for (let i = 0; i < count; i++) {
    if (await pneumoniaLine.evaluate((el) => el === document.activeElement)) break;
    await page.keyboard.press('ArrowDown');
  }
  await expect(pneumoniaLine).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tab-timeline')).toHaveAttribute('aria-selected', 'true');
  const detail = page.getByTestId('timeline-detail');
  await expect(detail).toHaveAttribute('data-entry-id', (await pneumonia.getAttribute('data-entry-id'))!);
  await expect(detail.getByTestId('conflict-value')).toHaveCount(2);
  await expect(detail.getByTestId('timeline-detail-conflicts')).toContainText('resolved');
  await screenshot(page, '62-summary-opens-timeline-detail');

  // In English, the same summary in English words.
  await page.getByTestId('tab-summary').click();
  await page.getByTestId('language-switch').selectOption('en');
  await expect(summary.getByTestId('summary-problems')).toContainText('Active problems');
  await expect(allergies).toContainText('Allergies');
  await expect(pneumonia.getByTestId('conflict-mark')).toContainText('Sources disagree');
  await screenshot(page, '63-safety-summary-en');
  await page.getByTestId('language-switch').selectOption('zh-CN');
  expect(problems).toEqual([]);
});

/**
 * Issue 16's "done when": the ward doctor opens a patient from the ward list and reads allergies,
 * problems and current medications first — the summary is the tab shown, in Chinese and in English.
 */
test('opened from the ward list, a patient shows the safety summary first, in Chinese and in English', async ({ page }) => {
  const problems = watchConsole(page);
  await openAppAs(page, 'doctor');
  const rows = page.getByTestId('worklist-row');
  const openFirstBed = async () => {
    await expect(page.getByTestId('worklist-state')).toHaveAttribute('data-live', 'done', { timeout: OPEN_TIMEOUT });
    await rows.first().dblclick();
    await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
  };
  const summaryFirst = async (words: { allergies: string; problems: string; medications: string }) => {
    await expect(page.getByTestId('tab-summary')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('tab-timeline')).toHaveAttribute('aria-selected', 'false');
    const summary = page.locator('[data-tab-panel="summary"]').getByTestId('summary');
    await expect(summary).toBeVisible();
    await expect(summary.getByTestId('summary-allergies')).toContainText(words.allergies);
    await expect(summary.getByTestId('summary-problems')).toContainText(words.problems);
    await expect(summary.getByTestId('summary-medications')).toContainText(words.medications);
    // Nothing of the timeline was drawn before the summary: its panel is not even mounted yet.
    await expect(page.locator('[data-tab-panel="timeline"]')).toHaveCount(0);
  };

  await openFirstBed();
  await summaryFirst({ allergies: '过敏', problems: '活动性问题', medications: '当前用药' });
  await screenshot(page, '64-worklist-opens-summary-zh-CN');

  await page.getByTestId('worklist-back').click();
  await page.getByTestId('language-switch').selectOption('en');
  try {
    await openFirstBed();
    await summaryFirst({ allergies: 'Allergies', problems: 'Active problems', medications: 'Current medications' });
    await screenshot(page, '65-worklist-opens-summary-en');
  } finally {
    await page.getByTestId('language-switch').selectOption('zh-CN');
  }
  expect(problems).toEqual([]);
});

/**
 * The merged record keeps what each system states: the CDR rates 张伟's penicillin allergy "low"
 * (the EMR's documents do not rate it), and the line says whose rating it is; his diabetes began
 * 2019-03-25 by the CDR and 2018-06-15 by the onset he gave the EMR's admitting doctor: the
 * earliest is "since", and both dates with their systems are on the line, in Chinese and English.
 */
test('the criticality a system states is shown with that system; differing onsets are shown with every date and system', async ({
  page,
}) => {
  const problems = watchConsole(page);
  await openAppAs(page, 'doctor');
  await openFromSearch(page, DEMO_PATIENT.mrn);
  const summary = page.getByTestId('summary');
  await expect(summary).toBeVisible();

  // Banner: the allergy's criticality and whose it is, on keyboard focus.
  const chip = page.getByTestId('banner-allergies').getByTestId('banner-allergy').filter({ hasText: '青霉素' });
  await expect(chip).toHaveAttribute('data-criticality', 'low');
  await chip.focus();
  await expect(chip.getByTestId('banner-allergy-tip')).toContainText('低危');
  await expect(chip.getByTestId('banner-allergy-tip')).toContainText('据CDR (FHIR R4)');

  // Summary: the allergy line says "低危 据CDR", not "危险程度未注明".
  const allergy = summary.getByTestId('summary-allergy').filter({ hasText: '青霉素' });
  await expect(allergy).toHaveAttribute('data-criticality', 'low');
  await expect(allergy).not.toContainText('危险程度未注明');
  await expect(allergy.getByTestId('summary-criticality-source')).toHaveText('据CDR (FHIR R4)');

  // The diabetes line: since the earliest onset, marked, both dates with their systems.
  const diabetes = summary.getByTestId('summary-problem').filter({ hasText: '2型糖尿病' });
  await expect(diabetes).toHaveAttribute('data-conflict', 'true');
  await expect(diabetes).toContainText('自 2018/06/15');
  const onsets = diabetes.getByTestId('summary-onset-conflict');
  await expect(onsets).toContainText('起病日期不一致');
  await expect(onsets).toContainText('集成平台 EMR (HL7 v3) 2018/06/15');
  await expect(onsets).toContainText('CDR (FHIR R4) 2019/03/25');
  await diabetes.scrollIntoViewIfNeeded();
  await screenshot(page, '66-summary-stated-criticality-onset-conflict');

  await page.getByTestId('language-switch').selectOption('en');
  try {
    await expect(allergy.getByTestId('summary-criticality-source')).toHaveText('per CDR (FHIR R4)');
    await expect(allergy).toContainText('Low risk');
    await expect(onsets).toContainText('onset differs');
    await expect(onsets).toContainText('06/15/2018');
    await expect(onsets).toContainText('03/25/2019');
    await screenshot(page, '67-summary-stated-criticality-onset-conflict-en');
  } finally {
    await page.getByTestId('language-switch').selectOption('zh-CN');
  }

  // The diabetes line opens its merged entry: both onsets as a conflict, and whose the onset shown is.
  await diabetes.locator('[data-summary-line]').click();
  const detail = page.getByTestId('timeline-detail');
  await expect(detail.getByTestId('timeline-detail-conflicts')).toContainText('起病日期');
  await expect(detail.getByTestId('conflict-value')).toHaveCount(2);
  await expect(detail.getByTestId('timeline-detail-stated-by')).toContainText('起病日期: 集成平台 EMR (HL7 v3)');
  await screenshot(page, '68-merged-problem-detail-onsets');
  expect(problems).toEqual([]);
});
