import { expect, type Page } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import type { BenchSuite, Figure } from '../measure.ts';
import { goalVerdict } from '../support/bench-cache.ts';
import { measureAppRenderer } from '../support/app-renderer-memory.ts';
import { jsHeapUsedMb, searchAndOpen, startBrowserApp, waitForPatientOpen, type BrowserApp } from '../support/browser-app.ts';
import { stepThroughStack, VIEWPORT, waitForFirstImage, waitForFrames, watchDicomweb, type ScrollRun } from '../support/viewer-probe.ts';

const SLICES = 200;
const MEMORY_GOAL_MB = 600;
const PRIOR_SLICES = 120;
const PRIOR = '[data-testid="imaging-compare-viewport"]';

interface ComparePass {
  scroll: ScrollRun;
  /** Draws of the prior's viewport while the current one was stepped through (0 in 1×1). */
  priorDraws: number;
  priorIndexMoves: boolean;
  heapMb: number;
}

const renders = async (page: Page, selector: string) => Number((await page.locator(selector).getAttribute('data-renders')) ?? 0);

/**
 * One reader's visit in a fresh tab: open 张伟's current CT, which opens 1×2 beside the 2024
 * prior with scrolling linked; for the 1×1 pass, key 1 as soon as the viewer shows, so only
 * the current series stays on screen. Then, once every slice of the current has arrived, the
 * keyboard steps through it (both stacks prefetched in 1×2; the prior following by slice position in 1×2).
 */
async function pass(app: BrowserApp, layout: '1x1' | '1x2'): Promise<ComparePass> {
  const { page, cdp } = await app.newPage();
  try {
    await searchAndOpen(page, DEMO_PATIENT.mrn, DEMO_PATIENT.nameHanzi);
    await waitForPatientOpen(page, DEMO_PATIENT.nameHanzi);
    const log = watchDicomweb(page);
    await page.getByTestId('tab-imaging').click();
    await waitForFirstImage(page);
    const grid = page.getByTestId('imaging-compare-grid');
    if (layout === '1x1') {
      await page.locator(VIEWPORT).focus();
      await page.keyboard.press('1');
      await expect(grid).toHaveAttribute('data-layout', '1x1');
    } else {
      await expect(grid).toHaveAttribute('data-layout', '1x2');
      await expect(page.getByTestId('imaging-compare-cell')).toHaveAttribute('data-scroll-link', 'linked', { timeout: 120_000 });
    }
    const viewport = page.locator(VIEWPORT);
    const count = Number(await viewport.getAttribute('data-image-count'));
    if (count !== SLICES) throw new Error(`the viewer opened a ${count}-image series, not the ${SLICES}-slice CT`);
    await waitForFrames(log, (await viewport.getAttribute('data-series-uid')) ?? '', SLICES);
    // Both stacks prefetched before the scroll: otherwise the prior's frames arriving and being
    // decoded during it are measured, not scrolling (a first run here: 4.6 vs 27.8 images/s).
    if (layout === '1x2') await waitForFrames(log, (await page.locator(PRIOR).getAttribute('data-series-uid')) ?? '', PRIOR_SLICES);
    log.stop();
    const priorBefore = layout === '1x2' ? await renders(page, PRIOR) : 0;
    const priorIndexBefore = layout === '1x2' ? await page.locator(PRIOR).getAttribute('data-image-index') : null;
    const scroll = await stepThroughStack(page, SLICES);
    const priorDraws = layout === '1x2' ? (await renders(page, PRIOR)) - priorBefore : 0;
    const priorIndexMoves = layout === '1x2' && (await page.locator(PRIOR).getAttribute('data-image-index')) !== priorIndexBefore;
    return { scroll, priorDraws, priorIndexMoves, heapMb: await jsHeapUsedMb(cdp) };
  } finally {
    await page.close();
  }
}

/**
 * Issue 18's comparison: scrolling the current CT with the prior linked beside it, and what the
 * second viewport costs in renderer memory, each against one viewport in the same run.
 */
export const viewerCompareFigures: BenchSuite = {
  name: 'viewer comparison: 200-slice CT with its 120-slice prior linked (1×2) vs alone (1×1), same run',
  async run() {
    const app = await startBrowserApp({ label: 'viewer-compare', pacs: 'full' });
    try {
      // 1×1 first: its cold pass fills the app's cache, so the 1×2 pass is not slower for Orthanc.
      const single = await pass(app, '1x1');
      const pair = await pass(app, '1x2');
      // Memory in a tab Playwright does not instrument, that process alone (app-renderer-memory.ts):
      // summing every renderer of the bench browser counted its other tabs and DevTools' buffers.
      const patient = { mrn: DEMO_PATIENT.mrn, name: DEMO_PATIENT.nameHanzi };
      const ownSingle = await measureAppRenderer(app, patient, { frames: SLICES, layout: '1x1' });
      const ownPair = await measureAppRenderer(app, patient, { frames: SLICES, layout: '1x2', priorFrames: PRIOR_SLICES });
      const rate = (p: ComparePass) => p.scroll.drawn / p.scroll.seconds;
      const figures: Figure[] = [
        {
          name: `linked scroll, driven viewport: ArrowDown × ${pair.scroll.steps} (${pair.scroll.drawn} drawn) in 1×2`,
          value: rate(pair),
          unit: 'images/s',
          lowerIsBetter: false,
          baseline: { name: '1×1', value: rate(single) },
          goal: '≥ 50/s',
        },
        {
          name: `  the prior following it: ${pair.priorDraws} draws over its 120 slices${pair.priorIndexMoves ? '' : ' (did not move!)'}`,
          value: pair.priorDraws / pair.scroll.seconds,
          unit: 'draws/s',
          lowerIsBetter: false,
        },
        {
          name: "the app's renderer process, peak (VmHWM) with both stacks loaded: 1×2",
          value: ownPair.openPeakMb,
          unit: 'MB',
          baseline: { name: '1×1', value: ownSingle.openPeakMb },
          lowerIsBetter: false,
          goal: goalVerdict(`< ${MEMORY_GOAL_MB} MB`, ownPair.openPeakMb < MEMORY_GOAL_MB),
        },
        {
          name: '  resident (VmRSS) once loaded: 1×2',
          value: ownPair.openRssMb,
          unit: 'MB',
          baseline: { name: '1×1', value: ownSingle.openRssMb },
          lowerIsBetter: false,
        },
        {
          name: '  resident after going back to 1×1 (the prior’s frames released)',
          value: ownPair.singleAgain?.rssMb ?? NaN,
          unit: 'MB',
          baseline: { name: '1×2 once loaded', value: ownPair.openRssMb },
          lowerIsBetter: false,
          goal: `same process; 1×1 alone: ${ownSingle.openRssMb.toFixed(0)} MB`,
        },
        { name: '  page JS heap after GC: 1×2', value: pair.heapMb, unit: 'MB', baseline: { name: '1×1', value: single.heapMb } },
      ];
      return figures;
    } finally {
      await app.close();
    }
  },
};
