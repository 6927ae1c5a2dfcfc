import { expect, test, type Locator, type Page } from '@playwright/test';
import { openDemoPatientAsDoctor, screenshot, watchConsole } from './support.ts';

/**
 * What a clinician's screen must not show in plain view: message types, OIDs and DICOM UIDs,
 * matcher scores, latencies. They belong behind a closed "技术细节 / Technical details"
 * disclosure. `innerText` is what is rendered, so a closed <details> and a title tooltip do
 * not count.
 */
const TECHNICAL_NOISE: readonly { what: string; pattern: RegExp }[] = [
  { what: 'a message type', pattern: /QIDO|WADO|STOW|ORU\^|ADT\^|PRPA_|RetrieveDocument|FHIR search|消息类型|Message type/i },
  { what: 'an OID or a DICOM UID', pattern: /\b\d+(?:\.\d+){4,}\b|urn:oid|urn:uuid/ },
  { what: 'a matcher score', pattern: /匹配分|match score/i },
  { what: 'a latency', pattern: /\b\d+(?:[.,]\d+)?\s?ms\b|毫秒/ },
];

async function noiseIn(locator: Locator): Promise<string[]> {
  const text = await locator.innerText();
  return TECHNICAL_NOISE.flatMap(({ what, pattern }) => {
    const match = pattern.exec(text);
    return match
      ? [`${what}: "${text.slice(Math.max(0, match.index - 30), match.index + match[0].length + 30).replace(/\s+/g, ' ')}"`]
      : [];
  });
}

/** Opens the first entry of a kind in the timeline and checks its detail pane, then its closed disclosure. */
async function checkDetailOf(page: Page, kind: string, locale: 'zh' | 'en'): Promise<void> {
  const filter = page.getByTestId('timeline-kind-filter').locator(`[data-kind="${kind}"]`);
  await filter.click();
  const entry = page.locator(`[data-testid="timeline-entry"][data-kind="${kind}"]`).first();
  await expect(entry).toBeVisible();
  await entry.click();
  const detail = page.getByTestId('timeline-detail');
  await expect(detail).toHaveAttribute('data-entry-id', /./);
  const technical = detail.getByTestId('timeline-detail-technical');
  await expect(technical).not.toHaveAttribute('open');
  expect(await noiseIn(detail), `the ${kind} detail pane in plain view`).toEqual([]);
  await screenshot(page, `clinical-language-${locale}-detail-${kind}`);
  // The detail is still there for whoever needs it, one click away.
  await technical.locator(':scope > summary').click();
  await expect(technical).toHaveAttribute('open', '');
  await expect(technical).toContainText(locale === 'zh' ? '消息类型' : 'Message type');
  await technical.locator(':scope > summary').click();
  await filter.click();
}

async function checkTab(page: Page, tab: string, locale: 'zh' | 'en', ready?: (panel: Locator) => Promise<void>): Promise<void> {
  const button = page.getByTestId(`tab-${tab}`);
  if ((await button.count()) === 0) return;
  await button.click();
  await expect(button).toHaveAttribute('aria-selected', 'true');
  const panel = page.locator(`[role="tabpanel"][aria-labelledby="ptab-${tab}"]`);
  await expect(panel).toBeVisible();
  await ready?.(panel);
  expect(await noiseIn(page.locator('body')), `the ${tab} view in plain view`).toEqual([]);
  await screenshot(page, `clinical-language-${locale}-tab-${tab}`);
}

async function auditEveryView(page: Page, locale: 'zh' | 'en'): Promise<void> {
  await page.getByTestId('tab-timeline').click();
  for (const kind of ['observation', 'report', 'imaging', 'document', 'encounter']) await checkDetailOf(page, kind, locale);
  await checkTab(page, 'summary', locale);
  await checkTab(page, 'labs', locale);
  await checkTab(page, 'documents', locale, async (panel) => {
    await panel.getByTestId('document-item').first().click();
  });
  await checkTab(page, 'imaging', locale, async (panel) => {
    await expect(panel.getByTestId('imaging-panel')).toHaveAttribute('data-state', /ready|failed|empty/, { timeout: 60_000 });
  });
  await checkTab(page, 'vitals', locale);
  await page.getByTestId('tab-timeline').click();
  // The search list, the banner and the sources footer stay on screen beside every tab.
  expect(await noiseIn(page.locator('body')), 'the timeline with the search list, banner and sources footer').toEqual([]);
}

test('no message type, UID, OID, score or latency in plain view, in Chinese and in English', async ({ page }) => {
  test.setTimeout(240_000);
  const problems = watchConsole(page);
  await openDemoPatientAsDoctor(page);
  await auditEveryView(page, 'zh');
  await page.getByTestId('language-switch').selectOption('en');
  await auditEveryView(page, 'en');
  await page.getByTestId('language-switch').selectOption('zh-CN');
  expect(problems).toEqual([]);
});

/** FHIR status codes as sent (R4 value sets the timeline shows); a row or detail showing one verbatim shows a code. */
const RAW_STATUS =
  /^(current|superseded|entered-in-error|preliminary|final|amended|corrected|appended|partial|registered|available|planned|arrived|triaged|in-progress|onleave|finished|cancelled|unknown|active|on-hold|completed|stopped|draft|intended|not-taken|recurrence|relapse|inactive|remission|resolved|unconfirmed|provisional|differential|confirmed|refuted|preparation|not-done)$/;
/** Codes the core once composed into summaries: an encounter's class, an allergy's criticality. */
const RAW_SUMMARY = /\b(ambulatory|inpatient encounter|emergency|AMB|IMP|EMER|low|high|unable-to-assess)\b/;

async function checkCodedKind(page: Page, kind: string, locale: 'zh' | 'en'): Promise<void> {
  const filter = page.getByTestId('timeline-kind-filter').locator(`[data-kind="${kind}"]`);
  if ((await filter.count()) === 0) return;
  await filter.click();
  const rows = page.locator(`[data-testid="timeline-entry"][data-kind="${kind}"]`);
  await expect(rows.first()).toBeVisible();
  const statuses = await rows.locator('.tl-row__status').allInnerTexts();
  for (const s of statuses) {
    expect(s.trim(), `a ${kind} row's status in ${locale}`).not.toMatch(RAW_STATUS);
    if (locale === 'zh') expect(s, `a ${kind} row's status in Chinese`).not.toMatch(/[a-z]{3,}/);
  }
  if (kind === 'encounter' || kind === 'allergy') {
    for (const text of await rows.allInnerTexts()) expect(text, `a ${kind} row in ${locale}`).not.toMatch(RAW_SUMMARY);
  }
  await rows.first().click();
  const detail = page.getByTestId('timeline-detail');
  await expect(detail).toHaveAttribute('data-entry-id', /./);
  const status = detail.getByTestId('timeline-detail-status');
  if ((await status.count()) > 0) await expect(status).not.toHaveText(RAW_STATUS);
  for (const value of await detail.getByTestId('timeline-detail-coded').allInnerTexts()) {
    expect(value.trim(), `a ${kind} coded fact in ${locale}`).not.toMatch(RAW_STATUS);
    expect(value.trim(), `a ${kind} coded fact in ${locale}`).not.toMatch(RAW_SUMMARY);
  }
  // The kind is named in full in the detail heading: nothing cut off.
  const badge = detail.getByTestId('timeline-detail-kind');
  const clipped = await badge.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
  expect(clipped, `the ${kind} badge in ${locale}`).toBe(false);
  await screenshot(page, `clinical-language-${locale}-coded-${kind}`);
  await filter.click();
}

test('every status and coded value is worded in both languages, and the kind badge is never cut off', async ({ page }) => {
  test.setTimeout(240_000);
  const problems = watchConsole(page);
  await openDemoPatientAsDoctor(page);
  await page.getByTestId('tab-timeline').click();
  for (const locale of ['zh', 'en'] as const) {
    if (locale === 'en') await page.getByTestId('language-switch').selectOption('en');
    for (const kind of ['document', 'encounter', 'condition', 'medication', 'allergy', 'report', 'imaging', 'observation'])
      await checkCodedKind(page, kind, locale);
  }
  // The document the reporter saw: its status reads as a clinician says it, and its kind badge is whole.
  const docFilter = page.getByTestId('timeline-kind-filter').locator('[data-kind="document"]');
  await docFilter.click();
  await page.locator('[data-testid="timeline-entry"][data-kind="document"]').first().click();
  const detail = page.getByTestId('timeline-detail');
  await expect(detail.getByTestId('timeline-detail-kind')).toHaveText('Document');
  await expect(detail.getByTestId('timeline-detail-status')).not.toHaveText(/^current$/);
  await screenshot(page, 'clinical-language-en-document-status');
  await docFilter.click();
  // The banner's identifier types are worded from their codes in English; a label only the source
  // knows would stay as it wrote it, quoted and marked as that source's own wording.
  const ids = page.getByLabel('Identifiers', { exact: true });
  await expect(ids).toContainText('Medical record no.');
  await expect(ids).toContainText('Resident ID card');
  for (const label of await ids.locator('dt:not(:has([data-testid="id-source-term"]))').allInnerTexts())
    expect(label, 'an identifier type in English').not.toMatch(/\p{Script=Han}/u);
  for (const term of await ids.getByTestId('id-source-term').all()) await expect(term).toHaveAttribute('title', /own term, not translated/);
  await screenshot(page, 'clinical-language-en-banner-identifiers');
  await page.getByTestId('language-switch').selectOption('zh-CN');
  expect(problems).toEqual([]);
});
