import type { Resource } from '@medplum/fhirtypes';
import { expect, test, type Page } from '@playwright/test';
import { badDataSet } from '../../src/demo-hospital/bad-data/injected-defects.ts';
import { openAppAs, openFromSearch, screenshot, showTimeline, watchConsole } from './support.ts';

const OPEN_TIMEOUT = 45_000;
const TITLE_ZH = '数据质量：该记录来源数据有缺陷（按原样显示，未丢弃）';
const TITLE_EN = 'Data quality: this record arrived with defects (shown as sent, nothing dropped)';

/** Writes the bad-data set's records that `keep` picks to the demo CDR; returns their URLs, to delete after. */
async function putRecords(page: Page, keep: (r: Resource) => boolean): Promise<{ urls: string[]; records: Resource[] }> {
  const fhir = process.env.HUIZHEN_E2E_FHIR;
  if (!fhir) throw new Error('HUIZHEN_E2E_FHIR is set by global-setup');
  const records = badDataSet().resources.filter(keep);
  const urls: string[] = [];
  for (const r of records) {
    const url = `${fhir}/${r.resourceType}/${r.id}`;
    const put = await page.request.put(url, { data: JSON.stringify(r), headers: { 'content-type': 'application/fhir+json' } });
    expect(put.ok(), await put.text()).toBe(true);
    urls.push(url);
  }
  return { urls, records };
}

/**
 * Issue 19: a finding about the patient's own record (a 身份证 with a wrong check digit) has no
 * timeline row; it reaches the screen through openPatient and is marked in the banner. The
 * patient is the demo bad-data mode's DQ-000003, written to the CDR for this spec and removed after.
 */
test('the banner marks a 身份证 with a wrong check digit, with the reason and without the number, in zh and en', async ({ page }) => {
  const fhir = process.env.HUIZHEN_E2E_FHIR;
  if (!fhir) throw new Error('HUIZHEN_E2E_FHIR is set by global-setup');
  const set = badDataSet();
  const dq = set.patients.find((p) => p.mrn === 'DQ-000003')!;
  const records = set.resources.filter(
    (r: Resource) => (r.resourceType === 'Patient' && r.id === dq.fhirId) || (r.resourceType === 'Encounter' && r.id === 'dq-enc-3'),
  );
  const urls: string[] = [];
  try {
    for (const r of records) {
      const url = `${fhir}/${r.resourceType}/${r.id}`;
      const put = await page.request.put(url, { data: JSON.stringify(r), headers: { 'content-type': 'application/fhir+json' } });
      expect(put.ok(), await put.text()).toBe(true);
      urls.push(url);
    }
    const problems = watchConsole(page);
    await openAppAs(page);
    await openFromSearch(page, dq.mrn);
    const banner = page.getByTestId('patient-banner');
    await expect(banner).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
    const mark = banner.locator('[data-testid="quality-mark"][data-quality-codes~="invalid-identifier"]');
    await expect(mark).toBeVisible();
    // The whole reason, worded: the problem named in Chinese, not its code ("check-digit").
    await expect(mark).toHaveAttribute('title', `${TITLE_ZH}\n• 身份证号无效（校验位错误）`);
    const residentId = (records[0] as { identifier?: { system?: string; value?: string }[] }).identifier?.find((i) =>
      i.system?.includes('2.16.156'),
    )?.value;
    expect(residentId).toBeDefined();
    expect(await mark.getAttribute('title')).not.toContain(residentId!);
    await screenshot(page, 'data-quality-patient-01-banner-zh');

    // In English too, still without the number.
    await page.getByTestId('language-switch').selectOption('en');
    await expect(mark).toContainText('data quality');
    await expect(mark).toHaveAttribute('title', `${TITLE_EN}\n• Resident ID card number is invalid (wrong check digit)`);
    expect(await mark.getAttribute('title')).not.toContain(residentId!);
    await screenshot(page, 'data-quality-patient-02-banner-en');
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await expect(mark).toContainText('数据质量');
    expect(problems).toEqual([]);
  } finally {
    for (const url of urls.reverse()) await page.request.delete(url);
  }
});

/**
 * A potassium beyond plausibility and one in a unit that does not convert (DQ-000002's records):
 * the analyte is named in the reader's language (钾 / potassium), not by the code "potassium".
 */
test('a result’s reasons name the analyte and the limit in words, in zh and en', async ({ page }) => {
  const ids = new Set(['dq-pat-2', 'dq-enc-2', 'dq-2-implausible', 'dq-2-unconvertible']);
  let urls: string[] = [];
  try {
    urls = (await putRecords(page, (r) => ids.has(r.id!))).urls;
    const problems = watchConsole(page);
    await openAppAs(page);
    await openFromSearch(page, 'DQ-000002');
    await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
    await showTimeline(page);
    const implausible = page.locator('[data-testid="quality-mark"][data-quality-codes="implausible-value"]');
    const unconvertible = page.locator('[data-testid="quality-mark"][data-quality-codes="unit-not-convertible"]');
    await expect(implausible).toHaveAttribute('title', `${TITLE_ZH}\n• 钾结果超出生理可能范围（上限 15 mmol/L）`, {
      timeout: OPEN_TIMEOUT,
    });
    await expect(unconvertible).toHaveAttribute('title', `${TITLE_ZH}\n• 单位“g/L”无法换算为钾的单位 mmol/L`);
    await implausible.hover();
    await screenshot(page, 'data-quality-patient-03-analyte-zh');

    await page.getByTestId('language-switch').selectOption('en');
    await expect(implausible).toHaveAttribute(
      'title',
      `${TITLE_EN}\n• value outside physiological plausibility for potassium (upper limit 15 mmol/L)`,
    );
    await expect(unconvertible).toHaveAttribute('title', `${TITLE_EN}\n• unit “g/L” cannot be converted to mmol/L for potassium`);
    await screenshot(page, 'data-quality-patient-04-analyte-en');
    await page.getByTestId('language-switch').selectOption('zh-CN');
    expect(problems).toEqual([]);
  } finally {
    for (const url of urls.reverse()) await page.request.delete(url);
  }
});
