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
      await screenshot(page, `walk-${lang}-20-radiologist-imaging`);
      await page.getByTestId('imaging-preset').focus();
      await screenshot(page, `walk-${lang}-21-radiologist-window-menu`);
      expect(problems.filter((p) => !p.includes('willReadFrequently'))).toEqual([]);
    });
  });
}
