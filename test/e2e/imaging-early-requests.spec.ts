import { expect, test, type Request } from '@playwright/test';
import { openDemoPatientAsDoctor, watchConsole } from './support.ts';

/**
 * Issue 18, "the first request issued at once": opening the imaging tab sends the study's series
 * list and the first series' metadata while the viewer's own code (the viewer chunk,
 * Cornerstone3D) is still loading, and the viewer then uses those answers instead of asking again.
 * The chunk is held back here until both requests have left: without the early requests they
 * could only leave after it, and the test fails. (The chunk is asked for when the browser is idle
 * after sign-in, viewer-preload.ts; held, it is still loading when the tab opens.)
 */
test('the imaging tab asks for the series list and metadata while the viewer’s code loads, once each', async ({ page }) => {
  const problems = watchConsole(page);
  const dicomweb: string[] = [];
  page.on('request', (request: Request) => {
    const path = new URL(request.url()).pathname;
    if (path.includes('/dicom-web/')) dicomweb.push(path);
  });
  const isSeriesList = (path: string) => /\/studies\/[0-9.]+\/series$/.test(path);
  const isMetadata = (path: string) => /\/series\/[0-9.]+\/metadata$/.test(path);

  let seenWhileHeld: string[] | undefined;
  await page.route(/\/assets\/viewer-chunk-[^/]*\.js$/, async (route) => {
    // Held until both early requests were seen, or 20 s (then the assertion below says so).
    await expect
      .poll(() => dicomweb.some(isSeriesList) && dicomweb.some(isMetadata), { timeout: 20_000, intervals: [50] })
      .toBe(true)
      .catch(() => undefined);
    seenWhileHeld = [...dicomweb];
    await route.continue();
  });

  await openDemoPatientAsDoctor(page);
  await page.getByTestId('tab-imaging').click();
  const panel = page.locator('[data-tab-panel="imaging"]').getByTestId('imaging-panel');
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });

  expect(seenWhileHeld?.some(isSeriesList), 'series list requested before the viewer code arrived').toBe(true);
  expect(seenWhileHeld?.some(isMetadata), 'metadata requested before the viewer code arrived').toBe(true);
  // The loader took the early answers: each resource asked for once.
  const shown = (await panel.getByTestId('imaging-viewport').getAttribute('data-series-uid')) ?? '';
  // Each study's series list once: the current study's early answer was used, and the prior that
  // the modality's default layout shows beside it (1×2) was asked for once as well.
  const seriesLists = dicomweb.filter(isSeriesList);
  expect(seriesLists.length, 'the current study and at most its prior').toBeLessThanOrEqual(2);
  expect(new Set(seriesLists).size, 'no series list asked for twice').toBe(seriesLists.length);
  expect(dicomweb.filter((p) => isMetadata(p) && p.includes(`/series/${shown}/`))).toHaveLength(1);
  expect(problems.filter((p) => !p.startsWith('warning'))).toEqual([]);
});

/**
 * Issue 18, "warm first image < 300 ms": the viewer's code (megabytes) loads while the reader
 * searches and reads, so the imaging tab waits for pixels only. Nothing of the patient's images is
 * asked for before the tab opens.
 */
test('the viewer’s code loads after sign-in, before the imaging tab opens, and no image is asked for early', async ({ page }) => {
  const chunk = page.waitForResponse(/\/assets\/viewer-chunk-[^/]*\.js$/, { timeout: 60_000 });
  const dicomweb: string[] = [];
  page.on('request', (request: Request) => {
    if (request.url().includes('/dicom-web/')) dicomweb.push(request.url());
  });
  await openDemoPatientAsDoctor(page);
  expect((await chunk).ok()).toBe(true);
  expect(dicomweb, 'no DICOMweb request before the imaging tab opens').toEqual([]);
  await page.getByTestId('tab-imaging').click();
  const panel = page.locator('[data-tab-panel="imaging"]').getByTestId('imaging-panel');
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
});
