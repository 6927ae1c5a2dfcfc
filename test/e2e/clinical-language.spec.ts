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
