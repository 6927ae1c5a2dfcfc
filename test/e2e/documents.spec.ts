import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { DocumentReference } from '@medplum/fhirtypes';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { DEMO_PLATFORM_PATIENT, type PlatformDocument } from '../../src/demo-hospital/platform-soap/index.ts';
import { serveWorkstation, type ServedWorkstation } from '../../src/main/host/serve-workstation.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { hostOrigin, screenshot, watchConsole, openAppAs } from './support.ts';

const OPEN_TIMEOUT = 45_000;

async function openByKeyboard(page: Page, origin: string): Promise<void> {
  await openAppAs(page, 'doctor', origin);
  const search = page.getByTestId('patient-search-input');
  await expect(search).toBeFocused();
  await page.keyboard.type(DEMO_PATIENT.nameHanzi);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('patient-result')).toHaveCount(1);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  // Generous: the open fans out to the demo hospital, and CI machines are shared.
  await expect(page.getByTestId('patient-banner')).toHaveAttribute('data-state', 'open', { timeout: OPEN_TIMEOUT });
}

/** Moves the list's selection with ↓ until the document titled `title` is chosen. */
async function chooseByKeyboard(page: Page, title: string): Promise<void> {
  await page.getByTestId('document-list').focus();
  const items = page.getByTestId('document-item');
  const count = await items.count();
  for (let i = 0; i < count; i++) {
    const selected = page.locator('[data-testid="document-item"][aria-selected="true"]');
    if ((await selected.locator('.doc-list__title').textContent()) === title) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no document titled ${title}`);
}

function bodyScrollTop(page: Page): Promise<number> {
  return page.locator('[data-testid="document-body"][data-format="html"]').evaluate((el) => el.scrollTop);
}

test.describe('documents: the reader', () => {
  test('keyboard only: open 张伟, Alt+3, read the 出院小结 by sections, view the XML, switch to English', async ({ page }) => {
    const problems = watchConsole(page);
    await openByKeyboard(page, hostOrigin());

    await page.keyboard.press('Alt+3');
    await expect(page.getByTestId('tab-documents')).toHaveAttribute('aria-selected', 'true');
    const list = page.getByTestId('document-list');
    await expect(list).toBeFocused();

    // Newest first, each with its source chip.
    const dates = await page
      .getByTestId('document-item')
      .evaluateAll((els) => els.map((e) => e.querySelector('.doc-list__date')?.textContent ?? ''));
    expect(dates.length).toBeGreaterThanOrEqual(3);
    expect(dates).toEqual([...dates].sort().reverse());
    await expect(page.getByTestId('document-item').first().locator('.doc-chip')).toHaveText(/集成平台/);

    await chooseByKeyboard(page, '出院小结');
    const reader = page.getByTestId('document-reader');
    await expect(reader.locator('.doc-reader__title')).toHaveText('出院小结');
    await expect(page.getByTestId('document-fact-type')).toContainText('出院小结');
    await expect(page.getByTestId('document-fact-author')).toContainText('李医生');
    await expect(page.getByTestId('document-fact-custodian')).toContainText('示范医院');
    await expect(page.getByTestId('document-fact-source')).toContainText('集成平台');
    await expect(page.getByTestId('document-fact-fetched')).not.toBeEmpty();

    // The narrative, sanitized again, with CDA styling by class (never inline styles).
    const body = page.locator('[data-testid="document-body"][data-format="html"]');
    await expect(body.locator('h1')).toHaveText('出院小结');
    await expect(body.locator('.cda-bold')).toHaveText('如再发热请及时就诊');
    await expect(body.locator('ol > li').first()).toBeVisible();
    expect(await body.locator('[style]').count()).toBe(0);

    // Enter hands the keyboard to the outline; ↓ and End jump through the sections.
    const links = page.getByTestId('document-section-link');
    await expect(links).toHaveText(['入院诊断', '住院经过', '出院诊断', '出院带药', '出院医嘱']);
    await page.keyboard.press('Enter');
    await expect(links.nth(0)).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(links.nth(2)).toBeFocused();
    await expect(links.nth(2)).toHaveAttribute('aria-current', 'location');
    await expect.poll(() => bodyScrollTop(page)).toBeGreaterThan(0);
    const afterTwo = await bodyScrollTop(page);
    // The chosen section's heading is at the top of the pane.
    const offset = await body.evaluate((el) => {
      const h = [...el.querySelectorAll('h2')].find((x) => x.textContent === '出院诊断');
      return h ? h.getBoundingClientRect().top - el.getBoundingClientRect().top : -1;
    });
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThan(40);
    await page.keyboard.press('End');
    await expect(links.nth(4)).toBeFocused();
    await expect.poll(() => bodyScrollTop(page)).toBeGreaterThan(afterTwo);
    await screenshot(page, '20-documents-discharge-summary');

    // ← goes back to the list.
    await page.keyboard.press('ArrowLeft');
    await expect(list).toBeFocused();

    // The original CDA, as text: markup shows as characters, nothing is parsed.
    const toggle = page.getByTestId('document-xml-toggle');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    const xml = page.getByTestId('document-xml');
    await expect(xml).toContainText('<ClinicalDocument xmlns="urn:hl7-org:v3"');
    await expect(xml).toContainText('code="C0053"');
    await expect(xml).toContainText('<content styleCode="Bold">如再发热请及时就诊</content>');
    expect(await xml.evaluate((el) => el.children.length)).toBe(0);
    await expect(page.getByTestId('document-outline')).toHaveCount(0);
    await screenshot(page, '21-documents-original-xml');
    await page.keyboard.press('Enter');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(body.locator('.cda-bold')).toHaveText('如再发热请及时就诊');

    // English UI: labels change, the document's own words do not.
    await page.getByTestId('language-switch').selectOption('en');
    await expect(page.getByTestId('tab-documents')).toContainText('Documents');
    await expect(page.getByTestId('document-fact-author')).toContainText('Author');
    await expect(page.getByTestId('document-outline')).toContainText('Sections');
    await expect(toggle).toHaveText('View original XML');
    await expect(page.getByTestId('documents-count')).toHaveText(/documents$/);
    await screenshot(page, '22-documents-english');
    await page.getByTestId('language-switch').selectOption('zh-CN');
    expect(problems).toEqual([]);
  });
});

const HOSTILE_HTML =
  '<div xmlns="http://www.w3.org/1999/xhtml"><h1>Hostile note</h1>' +
  '<section class="cda-section app__header"><h2>Payloads</h2>' +
  '<script>window.__pwned = "script"</script>' +
  '<img src="x" onerror="window.__pwned = \'img\'">' +
  '<p id="ptab-timeline" style="position:fixed;top:0;left:0;width:100%;height:100%;background:red" onclick="window.__pwned = \'click\'">styled text</p>' +
  '<a id="js-link" href="javascript:window.__pwned=\'link\'">js link</a>' +
  '<a id="ext-link" href="https://example.org/guideline">guideline</a>' +
  '<a href="#cda-foot">to footnote</a>' +
  '<iframe src="javascript:parent.__pwned=\'iframe\'"></iframe>' +
  '<style>body{display:none}</style>' +
  '<svg><script>window.__pwned="svg"</script></svg>' +
  '<form action="https://example.org"><input name="q"></form>' +
  '<span class="cda-bold evil" id="cda-foot">kept bold</span>' +
  '</section></div>';

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** A CDA whose narrative smuggles XHTML in: main's converter must drop it, the reader too. */
function hostileCda(): PlatformDocument {
  const id = { root: '2.16.156.10011.1.1', extension: 'HOSTILE-1' };
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:h="http://www.w3.org/1999/xhtml">' +
    '<realmCode code="CN"/><typeId root="2.16.840.1.113883.1.3" extension="POCD_MT000040"/>' +
    `<id root="${id.root}" extension="${id.extension}"/><code code="C0053" codeSystem="2.16.156.10011.2.4" displayName="出院小结"/>` +
    '<title>恶意文书</title><effectiveTime value="20250601100000+0800"/><confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>' +
    `<recordTarget><patientRole><id root="${DEMO_PLATFORM_PATIENT.root}" extension="${DEMO_PLATFORM_PATIENT.extension}"/><patient><name>张伟</name></patient></patientRole></recordTarget>` +
    '<author><time value="20250601100000+0800"/><assignedAuthor><id root="1.2.3" extension="x"/></assignedAuthor></author>' +
    '<custodian><assignedCustodian><representedCustodianOrganization><id root="1.2.3"/><name>Test</name></representedCustodianOrganization></assignedCustodian></custodian>' +
    '<component><structuredBody><component><section><title>载荷</title><text>' +
    '<paragraph styleCode="Bold">正文<h:script>window.__pwned="cda"</h:script><h:img src="x" onerror="window.__pwned=1"/></paragraph>' +
    '<linkHtml href="javascript:window.__pwned=2">链接</linkHtml></text></section></component></structuredBody></component></ClinicalDocument>';
  return {
    id,
    code: { code: 'C0053', codeSystem: '2.16.156.10011.2.4', displayName: '出院小结' },
    title: '恶意文书',
    effectiveTime: '20250601100000+0800',
    xml,
  };
}

test.describe('documents: hostile content', () => {
  let hospital: DemoHospital | undefined;
  let served: ServedWorkstation | undefined;

  test.beforeAll(async () => {
    // A hospital of our own, so hostile documents never reach the other specs' patient.
    hospital = await startDemoHospital();
    const note: DocumentReference = {
      resourceType: 'DocumentReference',
      status: 'current',
      subject: { reference: `Patient/${DEMO_PATIENT.fhirId}` },
      date: '2099-01-01T08:00:00+08:00',
      description: 'Hostile note',
      type: { text: 'Progress note' },
      content: [{ attachment: { contentType: 'text/html', data: base64(HOSTILE_HTML) } }],
    };
    const plain: DocumentReference = {
      resourceType: 'DocumentReference',
      status: 'current',
      subject: { reference: `Patient/${DEMO_PATIENT.fhirId}` },
      date: '2098-01-01T08:00:00+08:00',
      description: 'Plain note',
      content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64('Line one\n  indented <b>not bold</b>') } }],
    };
    await hospital.fhir.repository.createResource(note);
    await hospital.fhir.repository.createResource(plain);
    (hospital.platform.documentsOf(DEMO_PLATFORM_PATIENT.extension) as PlatformDocument[]).push(hostileCda());
    served = await serveWorkstation({
      config: parseConfig({ ...hospital.config, cache: { enabled: false } }, 'hostile documents'),
      rendererDir: join(import.meta.dirname, '..', '..', 'dist-renderer'),
    });
  });

  test.afterAll(async () => {
    await served?.close();
    await hospital?.stop();
  });

  test('script, event handlers, javascript: links, styles, iframes and foreign classes never reach the page', async ({ page, context }) => {
    const problems = watchConsole(page);
    await context.clearCookies();
    // Sign in to this host with its one-time token; the redirect lands on the app.
    await page.goto(served!.host.url);
    await openByKeyboard(page, served!.host.origin);
    await page.keyboard.press('Alt+3');
    await chooseByKeyboard(page, 'Hostile note');

    const body = page.locator('[data-testid="document-body"][data-format="html"]');
    await expect(body.locator('h2')).toHaveText('Payloads');
    await expect(body).toContainText('styled text');
    expect(await body.locator('script, img, iframe, style, svg, form, input').count()).toBe(0);
    expect(await body.locator('[style], [onclick], [onerror]').count()).toBe(0);
    expect(await body.locator('#ptab-timeline').count()).toBe(0);
    expect(await body.locator('a[href^="javascript" i]').count()).toBe(0);
    await expect(body.locator('section')).toHaveAttribute('class', 'cda-section');
    await expect(body.locator('#cda-foot')).toHaveAttribute('class', 'cda-bold');
    const external = body.locator('a[href^="https://example.org"]');
    await expect(external).toHaveAttribute('target', '_blank');
    await expect(external).toHaveAttribute('rel', /noopener/);
    await body.getByText('js link').click();
    await body.getByText('styled text').click();
    // In-document links scroll the pane and leave the app's address alone.
    const url = page.url();
    await body.getByText('to footnote').click();
    expect(page.url()).toBe(url);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await screenshot(page, '23-documents-hostile-html');

    // A note with only text/plain is shown preformatted, its markup as characters.
    await chooseByKeyboard(page, 'Plain note');
    const text = page.locator('[data-testid="document-body"][data-format="text"]');
    await expect(text).toContainText('<b>not bold</b>');
    expect(await text.evaluate((el) => el.children.length)).toBe(0);

    // A CDA smuggling XHTML: main's converter dropped it; the reader shows the text only.
    await chooseByKeyboard(page, '恶意文书');
    await expect(body.locator('.cda-bold')).toHaveText('正文');
    expect(await body.locator('script, img, a').count()).toBe(0);
    await page.getByTestId('document-xml-toggle').click();
    await expect(page.getByTestId('document-xml')).toContainText('<h:script>window.__pwned="cda"</h:script>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(problems).toEqual([]);
  });
});
