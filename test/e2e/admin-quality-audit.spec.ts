import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { HIS_DEMO_MRN, LIS_DEMO_MRN } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { CDR_SOURCE_ID } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { hostOrigin, OPEN_TIMEOUT, openAppAs, openDemoPatientAsDoctor, screenshot, watchConsole } from './support.ts';

/**
 * The console's Quality and Audit panels (issue 19) against the demo hospital, through the
 * browser host: a ward doctor's open feeds the quality aggregates; the administrator reads them
 * per source and kind, the unmapped local codes, a masked drill-down and a CSV; searches the
 * audit trail; sees the chain intact — and never a demo patient's name or identifier.
 */

interface FhirPatient {
  id?: string;
  name?: { text?: string; family?: string; given?: string[] }[];
  identifier?: { value?: string }[];
}

/** Every demo patient's names and identifiers, as the CDR holds them (not only 张伟). */
async function demoPatientsPhi(request: APIRequestContext): Promise<string[]> {
  const fhir = process.env.HUIZHEN_E2E_FHIR;
  if (!fhir) throw new Error('HUIZHEN_E2E_FHIR is set by global-setup');
  const answer = await request.get(`${fhir}/Patient?_count=1000`, { headers: { accept: 'application/fhir+json' } });
  expect(answer.ok()).toBe(true);
  const bundle = (await answer.json()) as { entry?: { resource: FhirPatient }[] };
  const phi = new Set<string>([
    DEMO_PATIENT.nameHanzi,
    DEMO_PATIENT.namePinyin,
    DEMO_PATIENT.residentId,
    DEMO_PATIENT.mrn,
    HIS_DEMO_MRN,
    LIS_DEMO_MRN,
  ]);
  for (const { resource } of bundle.entry ?? []) {
    if (resource.id) phi.add(resource.id);
    for (const n of resource.name ?? []) {
      const full = n.text ?? `${n.family ?? ''}${(n.given ?? []).join('')}`;
      // Two characters at least: a lone surname character would match ordinary words on screen.
      if (full.length >= 2) phi.add(full);
    }
    for (const i of resource.identifier ?? []) if (i.value && i.value.length >= 4) phi.add(i.value);
  }
  expect(phi.size).toBeGreaterThan(10);
  return [...phi];
}

async function expectNoPatientData(page: Page, phi: readonly string[]): Promise<void> {
  const text = await page.locator('body').innerText();
  const shown = phi.filter((p) => text.includes(p));
  expect(shown, 'patient names or identifiers on the console').toEqual([]);
  expect(text).not.toMatch(/\b\d{17}[\dXx]\b/);
}

test.describe("administrator's console: quality and audit", () => {
  test('quality per source, unmapped codes, a masked drill-down and a CSV; the audit trail searched, its chain intact', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const testStarted = Date.now();
    const phi = await demoPatientsPhi(page.request);
    // A clinician's open builds the record: its findings are what the console counts. The banner
    // says "open" at the first snapshot; the complete build is the open's reply.
    const opened = page.waitForResponse((r) => r.url().endsWith('/api/openPatient'), { timeout: OPEN_TIMEOUT });
    await openDemoPatientAsDoctor(page);
    expect((await opened).ok()).toBe(true);

    const problems = watchConsole(page);
    await openAppAs(page, 'admin');
    await expect(page.getByTestId('admin-console')).toBeVisible();
    await page.getByTestId('console-tab-quality').click();
    await expect(page.getByTestId('console-quality')).toHaveAttribute('data-loading', 'false', { timeout: OPEN_TIMEOUT });
    await expect(page.getByTestId('quality-assessments')).not.toHaveAttribute('data-count', '0');
    const lis = page.locator('[data-testid="quality-source-row"][data-source="lis"]');
    await expect(lis).toBeVisible();
    // Named as the Sources tab names it, not by its configuration id.
    await expect(lis.locator('th')).toHaveText('LIS (HL7 v2 MLLP)');
    await expect(page.locator('[data-testid="quality-unmapped-row"][data-code="VS-ADM"] td').first()).toHaveText('LIS (HL7 v2 MLLP)');
    await expect(page.getByTestId('quality-source-row').first()).toBeVisible();
    await expect(page.locator('[data-testid="quality-unmapped-row"][data-code="VS-ADM"]')).toBeVisible();
    await expect(page.getByTestId('quality-trend').locator('canvas')).toHaveCount(1);
    await expect(page.getByTestId('quality-trend')).toHaveAttribute('data-buckets', '30');
    await expectNoPatientData(page, phi);

    // Drill-down: sample references (a family of their own, never an audit mask) and field paths only.
    await lis.locator('[data-testid="quality-drill"][data-kind="unmapped-code"]').click();
    const samples = page.getByTestId('quality-sample');
    await expect(samples.first()).toBeVisible({ timeout: OPEN_TIMEOUT });
    await expect(samples.first()).toContainText(/S-[0-9a-f]{10}/);
    const sampleHex = (await samples.locator('code').allInnerTexts()).map((r) => r.trim().slice(2));
    await expect(samples.first()).toContainText(/(Observation|DiagnosticReport)\.code/);
    await expectNoPatientData(page, phi);
    await screenshot(page, 'admin-quality-01-drilldown-zh');

    // CSV: a real download, counts and codes only.
    const downloading = page.waitForEvent('download');
    await page.getByTestId('quality-export').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^huizhen-quality-30d-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^section,source,kind,code_system,code,count,\d{4}-\d{2}-\d{2},/);
    expect(lines.some((l) => l.startsWith('findings,lis,unmapped-code,,,'))).toBe(true);
    expect(lines.some((l) => l.startsWith('unmapped-code,lis,unmapped-code,') && l.includes(',VS-ADM,'))).toBe(true);
    expect(phi.filter((p) => csv.includes(p))).toEqual([]);
    await expect(page.getByTestId('quality-status')).toContainText(download.suggestedFilename());

    // Audit: chain status, then the trail by user and action.
    await page.getByTestId('console-tab-audit').click();
    await expect(page.getByTestId('audit-chain')).toHaveAttribute('data-state', 'intact', { timeout: OPEN_TIMEOUT });
    await page.getByTestId('audit-user').fill('local:doctor');
    await page.getByTestId('audit-action').selectOption('patient-open');
    await page.getByTestId('audit-submit').click();
    const rows = page.getByTestId('audit-row');
    await expect(rows.first()).toBeVisible({ timeout: OPEN_TIMEOUT });
    await expect(page.getByTestId('audit-results')).toHaveAttribute('data-loading', 'false');
    const count = await rows.count();
    expect(count).toBeGreaterThanOrEqual(1);
    await expect(page.locator('[data-testid="audit-row"][data-action="patient-open"][data-user="local:doctor"]')).toHaveCount(count);
    await expect(rows.first()).toContainText(/P-[0-9a-f]{10}/);
    await expect(page.getByTestId('audit-chain')).toHaveAttribute('data-state', 'intact', { timeout: OPEN_TIMEOUT });
    await expectNoPatientData(page, phi);
    await screenshot(page, 'admin-audit-01-search-zh');

    // By patient reference: the record the doctor opened (source and that source's patient id), masked in every row.
    await page.getByTestId('audit-user').fill('');
    await page.getByTestId('audit-action').selectOption('');
    await page.getByTestId('audit-patient-source').fill(CDR_SOURCE_ID);
    await page.getByTestId('audit-patient-id').fill(DEMO_PATIENT.fhirId);
    await page.getByTestId('audit-submit').click();
    await expect(page.locator('[data-testid="audit-row"][data-action="patient-open"][data-user="local:doctor"]').first()).toBeVisible({
      timeout: OPEN_TIMEOUT,
    });
    await expect(page.getByTestId('audit-results')).toHaveAttribute('data-loading', 'false');
    // Every row names the patient by masked references only, one per record reference: the
    // doctor's open (all the person's linked records) carries the very mask the administrator's
    // own search of this record carries; and none of them is a quality sample's.
    const refs = await rows.locator('td:nth-child(6) code').allInnerTexts();
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.every((r) => /^P-[0-9a-f]{10}$/.test(r))).toBe(true);
    expect(refs.filter((r) => sampleHex.includes(r.slice(2)))).toEqual([]);
    const ownSearch = page.locator('[data-testid="audit-row"][data-action="admin-view"][data-user="local:admin"]').first();
    await expect(ownSearch).toBeVisible();
    const searchedMask = (await ownSearch.locator('td:nth-child(6) code').innerText()).trim();
    await expect(page.locator('[data-testid="audit-row"][data-action="patient-open"][data-user="local:doctor"]').first()).toContainText(
      searchedMask,
    );
    // Not another patient's events: an unknown reference finds only this search of it, itself an audited view.
    await page.getByTestId('audit-patient-id').fill('no-such-patient');
    await page.getByTestId('audit-submit').click();
    await expect(page.getByTestId('audit-results')).toHaveAttribute('data-total', '1', { timeout: OPEN_TIMEOUT });
    await expect(page.getByTestId('audit-results')).toHaveAttribute('data-loading', 'false');
    await expect(rows).toHaveCount(1);
    // Its detail is withheld (an event about a patient shows no query text); the patient only masked.
    const search = page.locator('[data-testid="audit-row"][data-action="admin-view"][data-user="local:admin"]');
    await expect(search).toContainText('admin-console');
    await expect(search).toContainText(/P-[0-9a-f]{10}/);
    await expect(search).not.toContainText('no-such-patient');
    // A pattern is refused before anything is asked.
    await page.getByTestId('audit-patient-id').fill('pat-*');
    await page.getByTestId('audit-submit').click();
    await expect(page.getByTestId('audit-wildcard')).toBeVisible();
    // Walking record ids one after another stops at the limit (distinct references per minute), worded.
    for (let n = 1; n <= 5; n++) {
      await page.getByTestId('audit-patient-id').fill(`walk-${n}`);
      await page.getByTestId('audit-submit').click();
      await expect(page.getByTestId('audit-results')).toHaveAttribute('data-loading', 'false', { timeout: OPEN_TIMEOUT });
      if ((await page.getByTestId('audit-results').getAttribute('data-refused')) === 'search-rate') break;
    }
    await expect(page.getByTestId('audit-results')).toHaveAttribute('data-refused', 'search-rate');
    await expect(page.getByTestId('audit-results')).toContainText('近期检索的不同患者过多');
    await expect(rows).toHaveCount(0);
    await screenshot(page, 'admin-audit-03-search-rate-zh');
    await page.getByTestId('audit-patient-source').fill('');
    await page.getByTestId('audit-patient-id').fill('');

    // By time: a range around this test finds the doctor's open; a range in 2020 finds nothing.
    // datetime-local is the browser's wall clock (Asia/Shanghai in playwright.config.ts).
    const shanghai = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
    await page.getByTestId('audit-action').selectOption('patient-open');
    await page.getByTestId('audit-since').fill(shanghai(testStarted - 60_000));
    await page.getByTestId('audit-until').fill(shanghai(Date.now() + 5 * 60_000));
    await page.getByTestId('audit-submit').click();
    await expect(page.locator('[data-testid="audit-row"][data-action="patient-open"][data-user="local:doctor"]').first()).toBeVisible({
      timeout: OPEN_TIMEOUT,
    });
    await page.getByTestId('audit-since').fill('2020-01-01T00:00');
    await page.getByTestId('audit-until').fill('2020-01-02T00:00');
    await page.getByTestId('audit-submit').click();
    await expect(page.getByTestId('audit-results')).toHaveAttribute('data-total', '0', { timeout: OPEN_TIMEOUT });
    await page.getByTestId('audit-since').fill('');
    await page.getByTestId('audit-until').fill('');
    await expectNoPatientData(page, phi);

    // The search is on the record itself: the administrator's own console views.
    await page.getByTestId('audit-user').fill('local:admin');
    await page.getByTestId('audit-action').selectOption('admin-view');
    await page.getByTestId('audit-submit').click();
    await expect(page.locator('[data-testid="audit-row"][data-action="admin-view"]').first()).toContainText('audit search', {
      timeout: OPEN_TIMEOUT,
    });

    await page.getByTestId('language-switch').selectOption('en');
    await expect(page.getByTestId('audit-chain')).toContainText('Intact');
    await expect(page.getByTestId('console-audit')).toContainText('Search the audit trail');
    await expectNoPatientData(page, phi);
    await screenshot(page, 'admin-audit-02-search-en');
    await page.getByTestId('console-tab-quality').click();
    await expect(page.getByTestId('quality-unmapped')).toContainText('VS-ADM', { timeout: OPEN_TIMEOUT });
    await expect(page.getByTestId('console-quality')).toContainText('Unmapped local codes');
    await expectNoPatientData(page, phi);
    await screenshot(page, 'admin-quality-02-overview-en');
    await page.getByTestId('language-switch').selectOption('zh-CN');
    // The browser logs the refused search's 403 (the rate limit above); nothing else may fail.
    expect(problems.filter((p) => !p.includes('status of 403'))).toEqual([]);
    expect(problems.length).toBeGreaterThanOrEqual(1);
  });

  test("mapping tables: the entries the demo used, with counts; the hospital's never-matched entries marked; filters; zh and en", async ({
    page,
  }) => {
    const phi = await demoPatientsPhi(page.request);
    // The doctor's open maps the LIS's local codes and units: those entries' counts rise.
    const opened = page.waitForResponse((r) => r.url().endsWith('/api/openPatient'), { timeout: OPEN_TIMEOUT });
    await openDemoPatientAsDoctor(page);
    expect((await opened).ok()).toBe(true);

    const problems = watchConsole(page);
    await openAppAs(page, 'admin');
    await page.getByTestId('console-tab-mapping').click();
    await expect(page.getByTestId('console-mapping')).toHaveAttribute('data-loading', 'false', { timeout: OPEN_TIMEOUT });
    await expect(page.getByTestId('console-mapping')).toContainText('映射表条目及使用次数');
    const summary = page.getByTestId('mapping-summary');
    await expect(summary).not.toHaveAttribute('data-used', '0');
    // The hospital's two entries (global-setup's configuration) match nothing the demo sends: first, marked.
    await expect(summary).toHaveAttribute('data-idle', '2');
    const rows = page.getByTestId('mapping-row');
    await expect(rows.nth(0)).toHaveAttribute('data-idle', 'true');
    await expect(rows.nth(1)).toHaveAttribute('data-idle', 'true');
    await expect(page.locator('[data-testid="mapping-row"][data-from="XJ-FRUCTOSAMINE"]')).toContainText('从未匹配');
    await expect(page.locator('[data-testid="mapping-row"][data-from="毫摩每升"]')).toHaveAttribute('data-origin', 'configured');
    // Built-in lab-code entries the demo's results went through. The demo sends its units as UCUM
    // (or forms the rewrite rules read), so no unit-spelling entry counts here: both tables are listed.
    const usedLab = page.locator('[data-testid="mapping-row"][data-table="lab-code"]:not([data-uses="0"])');
    await expect(usedLab.first()).toBeVisible();
    await expect(page.locator('[data-testid="mapping-row"][data-table="unit"][data-origin="built-in"]').first()).toBeVisible();
    await expectNoPatientData(page, phi);
    await screenshot(page, 'admin-mapping-01-entries-zh');

    // Filters: used lab codes only, then a text filter on the LOINC side.
    await page.getByTestId('mapping-table-filter').selectOption('lab-code');
    await page.getByTestId('mapping-show').selectOption('used');
    await expect(page.locator('[data-testid="mapping-row"][data-table="unit"]')).toHaveCount(0);
    await expect(page.locator('[data-testid="mapping-row"][data-uses="0"]')).toHaveCount(0);
    const loinc = (await usedLab.first().locator('td code').nth(1).innerText()).trim();
    await page.getByTestId('mapping-filter').fill(loinc);
    await expect(rows.first()).toContainText(loinc);
    const shown = Number(await page.getByTestId('mapping-count').getAttribute('data-shown'));
    expect(shown).toBeGreaterThan(0);
    await expect(rows).toHaveCount(shown);
    await page.getByTestId('mapping-filter').fill('');
    await page.getByTestId('mapping-table-filter').selectOption('both');
    await page.getByTestId('mapping-show').selectOption('configured');
    await expect(rows).toHaveCount(2);
    await screenshot(page, 'admin-mapping-02-configured-zh');

    await page.getByTestId('mapping-show').selectOption('all');
    await page.getByTestId('language-switch').selectOption('en');
    await expect(page.getByTestId('console-tab-mapping')).toHaveText('Mapping tables');
    await expect(summary).toContainText('configured entries never matched');
    await expect(page.locator('[data-testid="mapping-row"][data-from="XJ-FRUCTOSAMINE"]')).toContainText('never matched');
    await expectNoPatientData(page, phi);
    await screenshot(page, 'admin-mapping-03-entries-en');
    await page.getByTestId('language-switch').selectOption('zh-CN');

    // The read is on the audit trail, as every console view is.
    await page.getByTestId('console-tab-audit').click();
    await page.getByTestId('audit-user').fill('local:admin');
    await page.getByTestId('audit-action').selectOption('admin-view');
    await page.getByTestId('audit-submit').click();
    await expect(
      page.locator('[data-testid="audit-row"][data-action="admin-view"]').filter({ hasText: 'mapping usage' }).first(),
    ).toBeVisible({
      timeout: OPEN_TIMEOUT,
    });
    expect(problems).toEqual([]);
  });

  test('a clinician calling the Quality and Audit methods from devtools is refused by main (403, access-denied)', async ({ page }) => {
    await openAppAs(page, 'doctor');
    const origin = hostOrigin();
    for (const [method, data] of [
      ['adminQualityOverview', { range: '30d' }],
      ['adminQualitySamples', { sourceId: 'lis', kind: 'unmapped-code' }],
      ['adminQualityCsv', { range: '30d' }],
      ['adminAuditSearch', { userId: 'local:doctor' }],
      ['adminAuditStatus', {}],
      ['mappingUsage', {}],
    ] as const) {
      const answer = await page.request.post(`${origin}/api/${method}`, { data, headers: { origin } });
      expect(answer.status(), method).toBe(403);
      expect(await answer.json()).toMatchObject({ error: { code: 'access-denied' } });
    }
  });
});
