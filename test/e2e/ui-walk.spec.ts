import { expect, test, type Page } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { DEFAULT_SEED } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { DEMO_CURRENT_CT, demoStudyUid } from '../../src/demo-hospital/synthetic/dicom-uid.ts';
import { catalogs } from '../../src/renderer/i18n/catalogs.ts';
import { waitForImage } from '../support/imaging-canvas.ts';
import { hostOrigin, OPEN_TIMEOUT, openAppAs, openFromSearch, screenshot, watchConsole } from './support.ts';

/**
 * The main screens at 1280×800 as each role first meets them, in zh-CN and in English: sign-in,
 * the ward worklist, search, summary, timeline, documents, imaging, the administrator's console.
 * The screenshots are for people to look at; the assertions are what a look found wrong once:
 * nothing pushes the page sideways, and no control's words are cut off inside it.
 */
const CT_UID = demoStudyUid(DEFAULT_SEED, DEMO_CURRENT_CT.key);
const LANGS = ['zh-CN', 'en'] as const;

async function setLanguage(page: Page, lang: (typeof LANGS)[number]): Promise<void> {
  await page.evaluate((l) => localStorage.setItem('huizhen.locale', l), lang);
  await page.reload();
}

/** The page never scrolls sideways, and no button or tab clips its own label. */
async function fits(page: Page, what: string): Promise<void> {
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    const root = document.scrollingElement!;
    if (root.scrollWidth > window.innerWidth + 1) out.push(`page ${root.scrollWidth} > ${window.innerWidth}`);
    for (const el of document.querySelectorAll<HTMLElement>('button, [role="tab"], select, label')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || el.closest('[hidden]')) continue;
      if (el.scrollWidth > el.clientWidth + 2 && getComputedStyle(el).overflowX !== 'visible')
        out.push(`${el.dataset['testid'] ?? el.tagName}: "${el.innerText.slice(0, 40)}" clipped`);
    }
    return out;
  });
  expect(problems, what).toEqual([]);
}

/** Heights of what stands between the top of the patient area and the first clinical line, from element boxes. */
interface Chrome {
  /** The patient area's top to its tab strip's: the banner with its strips (allergies, identifiers, systems, alerts). */
  aboveTabs: number;
  banner: number;
  alerts: number;
  sourcesBar: number;
  sourcesRows: number;
}

async function chromeHeights(page: Page): Promise<Chrome> {
  return page.evaluate(() => {
    const box = (selector: string) => document.querySelector(selector)?.getBoundingClientRect();
    const height = (selector: string) => Math.round(box(selector)?.height ?? 0);
    const rows = new Set(
      [...document.querySelectorAll('[data-testid="source-status-bar"] [data-testid="source-status"]')].map((el) =>
        Math.round(el.getBoundingClientRect().top),
      ),
    );
    return {
      aboveTabs: Math.round(box('[data-testid="patient-tabs"]')!.top - box('.app__patient')!.top),
      banner: height('[data-testid="patient-banner"]'),
      alerts: height('[data-testid="critical-values"]'),
      sourcesBar: height('[data-testid="source-status-bar"]'),
      sourcesRows: rows.size,
    };
  });
}

/** How many rows the viewer's controls above the images take: distinct tops of the visible controls. */
async function toolbarRows(page: Page): Promise<number> {
  return page.evaluate(() => {
    const tops = [...document.querySelectorAll<HTMLElement>('.imaging__bars button, .imaging__bars select')]
      .map((el) => el.getBoundingClientRect())
      .filter((b) => b.width > 0)
      .map((b) => b.top + b.height / 2);
    // Controls of one row differ in height by a few pixels; their middles lie within one control's height.
    const rows: number[] = [];
    for (const middle of tops.sort((a, b) => a - b)) if (rows.length === 0 || middle - rows[rows.length - 1]! > 12) rows.push(middle);
    return rows.length;
  });
}

/**
 * Measured with the same boxes before the banner and the bars were compacted (session 11, 1280×800,
 * the doctor with the search list open, 张伟 with his allergy, one critical value and one risk).
 */
const BEFORE = {
  'zh-CN': { aboveTabs: 260, sourcesRows: 2, toolbarRows: 2 },
  en: { aboveTabs: 327, sourcesRows: 2, toolbarRows: 3 },
} as const;
/** The ward doctor's screen must keep most of its 800 px for the record. */
const MAX_ABOVE_TABS = 180;

for (const lang of LANGS) {
  test.describe(`the main screens at 1280×800 in ${lang}`, () => {
    test(`sign-in, then the administrator's console (${lang})`, async ({ page }) => {
      const problems = watchConsole(page);
      const origin = hostOrigin();
      // Signed out before the app loads, so nothing it started is refused on the way (as openAppAs does).
      await page.goto('about:blank');
      await page.request.post(`${origin}/api/signOut`, { data: {}, headers: { origin, 'content-type': 'application/json' } });
      await page.goto(`${origin}/`);
      await setLanguage(page, lang);
      await expect(page.getByTestId('sign-in-screen')).toBeVisible({ timeout: OPEN_TIMEOUT });
      await fits(page, 'sign-in');
      await screenshot(page, `walk-${lang}-01-sign-in`);

      await openAppAs(page, 'admin');
      await expect(page.getByTestId('admin-console')).toBeVisible();
      for (const tab of ['sources', 'quality', 'audit', 'mapping', 'configuration']) {
        const button = page.getByTestId(`console-tab-${tab}`);
        if ((await button.count()) === 0) continue;
        await button.click();
        await expect(button).toHaveAttribute('aria-selected', 'true');
        // Each panel reads on opening: its screenshot once no read is still under way.
        await expect(page.locator('main').getByText(catalogs[lang]['console.loading'], { exact: true })).toHaveCount(0, {
          timeout: OPEN_TIMEOUT,
        });
        await fits(page, `console ${tab}`);
        await screenshot(page, `walk-${lang}-02-admin-${tab}`);
      }
      expect(problems).toEqual([]);
    });

    test(`the ward doctor and the nurse: worklist, search, summary, timeline, documents (${lang})`, async ({ page }) => {
      const problems = watchConsole(page);
      for (const role of ['doctor', 'nurse'] as const) {
        await openAppAs(page, role);
        await setLanguage(page, lang);
        await expect(page.getByTestId('worklist-state')).toHaveAttribute('data-live', 'done', { timeout: OPEN_TIMEOUT });
        await fits(page, `${role} worklist`);
        await screenshot(page, `walk-${lang}-10-${role}-worklist`);
        await openFromSearch(page, DEMO_PATIENT.nameHanzi);
        if (role === 'doctor') {
          // The alerts strip reads after the open: measured once it shows.
          await expect(page.getByTestId('critical-values')).toBeVisible();
          await expect(page.getByTestId('banner-allergy').first()).toBeVisible();
          const chrome = await chromeHeights(page);
          test.info().annotations.push({
            type: 'height at 1280×800',
            description:
              `${lang} doctor: banner and strips ${chrome.aboveTabs} px (before ${BEFORE[lang].aboveTabs}; banner ${chrome.banner}, ` +
              `alerts ${chrome.alerts}); sources bar ${chrome.sourcesBar} px in ${chrome.sourcesRows} row(s) (before ${BEFORE[lang].sourcesRows})`,
          });
          expect.soft(chrome.aboveTabs, 'banner and strips').toBeLessThanOrEqual(MAX_ABOVE_TABS);
          expect.soft(chrome.sourcesRows, 'sources bar rows').toBe(1);
          // A chip's details open on keyboard focus too, not only under the mouse.
          const chip = page.locator('[data-testid="source-status-bar"] [data-testid="source-status"]').first();
          await chip.focus();
          await expect(chip.getByTestId('source-status-tip')).toBeVisible();
          await screenshot(page, `walk-${lang}-11-doctor-source-details`);
          await chip.blur();
        }
        await fits(page, `${role} summary`);
        await screenshot(page, `walk-${lang}-11-${role}-summary`);
        for (const tab of ['timeline', 'labs', 'documents', 'vitals'] as const) {
          const button = page.getByTestId(`tab-${tab}`);
          if ((await button.count()) === 0) continue;
          await button.click();
          await expect(button).toHaveAttribute('aria-selected', 'true');
          await fits(page, `${role} ${tab}`);
          await screenshot(page, `walk-${lang}-12-${role}-${tab}`);
        }
      }
      expect(problems).toEqual([]);
    });

    test(`the radiologist: imaging with the report (${lang})`, async ({ page }) => {
      const problems = watchConsole(page);
      await openAppAs(page, 'radiologist');
      await setLanguage(page, lang);
      await openFromSearch(page, DEMO_PATIENT.mrn);
      await page.getByTestId('tab-imaging').click();
      const panel = page.locator('[data-tab-panel="imaging"]').getByTestId('imaging-panel');
      await expect(panel).toHaveAttribute('data-study-uid', CT_UID);
      await waitForImage(page.getByTestId('imaging-viewport'));
      await fits(page, 'imaging');
      const rows = await toolbarRows(page);
      test.info().annotations.push({
        type: 'viewer toolbar at 1280×800',
        description: `${lang} radiologist: ${rows} row(s) (before ${BEFORE[lang].toolbarRows})`,
      });
      expect.soft(rows, 'viewer toolbar rows').toBe(1);
      await screenshot(page, `walk-${lang}-20-radiologist-imaging`);
      await page.getByTestId('imaging-preset').focus();
      await screenshot(page, `walk-${lang}-21-radiologist-window-menu`);
      await page.getByTestId('imaging-more').click();
      await expect(page.getByTestId('imaging-more-list')).toBeVisible();
      await fits(page, 'imaging, more tools');
      await screenshot(page, `walk-${lang}-22-radiologist-more-tools`);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('imaging-more-list')).toBeHidden();
      expect(problems.filter((p) => !p.includes('willReadFrequently'))).toEqual([]);
    });
  });
}

/** The wide screen of a reading room or a ward office: the compact bars must still read as one, in the longer English. */
test.describe('the ward doctor and the radiologist at 1920×1080 in en', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('summary, timeline and imaging (1920×1080, en)', async ({ page }) => {
    const problems = watchConsole(page);
    await openAppAs(page, 'doctor');
    await setLanguage(page, 'en');
    await openFromSearch(page, DEMO_PATIENT.nameHanzi);
    await expect(page.getByTestId('critical-values')).toBeVisible();
    const chrome = await chromeHeights(page);
    test.info().annotations.push({
      type: 'height at 1920×1080',
      description: `en doctor: banner and strips ${chrome.aboveTabs} px; sources bar ${chrome.sourcesBar} px in ${chrome.sourcesRows} row(s)`,
    });
    expect.soft(chrome.sourcesRows, 'sources bar rows').toBe(1);
    await fits(page, 'wide summary');
    await screenshot(page, 'walk-wide-en-11-doctor-summary');
    await page.getByTestId('tab-timeline').click();
    await fits(page, 'wide timeline');
    await screenshot(page, 'walk-wide-en-12-doctor-timeline');

    await openAppAs(page, 'radiologist');
    await openFromSearch(page, DEMO_PATIENT.mrn);
    await page.getByTestId('tab-imaging').click();
    await expect(page.locator('[data-tab-panel="imaging"]').getByTestId('imaging-panel')).toHaveAttribute('data-study-uid', CT_UID);
    await waitForImage(page.getByTestId('imaging-viewport'));
    expect.soft(await toolbarRows(page), 'viewer toolbar rows').toBe(1);
    await fits(page, 'wide imaging');
    await screenshot(page, 'walk-wide-en-20-radiologist-imaging');
    await page.getByTestId('imaging-more').click();
    await expect(page.getByTestId('imaging-more-list')).toBeVisible();
    await screenshot(page, 'walk-wide-en-21-radiologist-more-tools');
    expect(problems.filter((p) => !p.includes('willReadFrequently'))).toEqual([]);
  });
});
