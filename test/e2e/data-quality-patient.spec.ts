import type { Resource } from '@medplum/fhirtypes';
import { expect, test } from '@playwright/test';
import { badDataSet } from '../../src/demo-hospital/bad-data/injected-defects.ts';
import { openAppAs, openFromSearch, screenshot, watchConsole } from './support.ts';

const OPEN_TIMEOUT = 45_000;

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
    await expect(mark).toHaveAttribute('title', /身份证号无效/);
    const residentId = (records[0] as { identifier?: { system?: string; value?: string }[] }).identifier?.find((i) =>
      i.system?.includes('2.16.156'),
    )?.value;
    expect(residentId).toBeDefined();
    expect(await mark.getAttribute('title')).not.toContain(residentId!);
    await screenshot(page, 'data-quality-patient-01-banner-zh');

    // In English too, still without the number.
    await page.getByTestId('language-switch').selectOption('en');
    await expect(mark).toContainText('data quality');
    await expect(mark).toHaveAttribute('title', /身份证 number is invalid/);
    expect(await mark.getAttribute('title')).not.toContain(residentId!);
    await screenshot(page, 'data-quality-patient-02-banner-en');
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await expect(mark).toContainText('数据质量');
    expect(problems).toEqual([]);
  } finally {
    for (const url of urls.reverse()) await page.request.delete(url);
  }
});
