import { expect, test, type Locator, type Page } from '@playwright/test';
import { HARNESS_PAGE, startImagingHarness, type ImagingHarness } from '../support/imaging-harness.ts';
import { waitForImage, type CanvasPixels } from '../support/imaging-canvas.ts';
import { watchConsole } from './support.ts';

/**
 * What the viewer specs on the dev harness page share (imaging-viewer, imaging-compare,
 * imaging-truth): one harness per spec file over the real DICOMweb proxy, encrypted cache and
 * demo PACS, the tests run in order against it, and no console problem left unexplained.
 */
export interface HarnessSuite {
  /** Started before the file's first test. */
  readonly harness: ImagingHarness;
  /** Opens the harness page, watching the console from here on. */
  visit(page: Page): Promise<void>;
  /** Opens the page and waits until the main viewport shows an image. */
  openViewer(page: Page): Promise<{ panel: Locator; viewport: Locator; image: CanvasPixels }>;
  /** Console lines this test expects (the browser logs every failed request); forgotten after it. */
  expectConsole(lines: RegExp): void;
}

/** Call once at the top of a spec file: it registers the file's hooks. */
export function imagingHarnessSuite(): HarnessSuite {
  test.describe.configure({ mode: 'serial' });
  let harness: ImagingHarness | undefined;
  let problems: string[] = [];
  let expected: RegExp | undefined;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    // The harness page is built once per run, by global-setup.
    harness = await startImagingHarness();
  });

  test.afterAll(async () => {
    await harness?.close();
  });

  test.afterEach(() => {
    // Console errors include CSP violations (a blocked worker, WASM or style would show here).
    // Chromium's hint about repeated getImageData comes from the tests' own pixel reads.
    const unexplained = problems.filter((p) => !p.includes('willReadFrequently') && !(expected && expected.test(p)));
    problems = [];
    expected = undefined;
    expect(unexplained).toEqual([]);
  });

  const suite: HarnessSuite = {
    get harness() {
      if (!harness) throw new Error('the imaging harness has not started (beforeAll failed?)');
      return harness;
    },
    async visit(page) {
      problems = watchConsole(page);
      await page.goto(`${suite.harness.origin}${HARNESS_PAGE}`);
    },
    async openViewer(page) {
      await suite.visit(page);
      const panel = page.getByTestId('imaging-panel');
      await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
      const viewport = page.getByTestId('imaging-viewport');
      return { panel, viewport, image: await waitForImage(viewport) };
    },
    expectConsole(lines) {
      expected = lines;
    },
  };
  return suite;
}
