import { expect, test, type Locator, type Page } from '@playwright/test';
import { canvasPixels, waitForChange, waitForImage } from '../support/imaging-canvas.ts';
import { imagingHarnessSuite } from './imaging-harness-suite.ts';
import { screenshot } from './support.ts';

/**
 * The viewer tells the truth: the window/level readout is the window the picture is drawn in
 * (checked against pixels drawn fresh with that window), and a failure says what happened and
 * what the reader can still do. Dev harness page over the real proxy, cache and demo PACS.
 */
const suite = imagingHarnessSuite();

const openViewer = (page: Page) => suite.openViewer(page);

async function readout(page: Page, viewport: Locator, width: number, center: number): Promise<void> {
  await expect(viewport).toHaveAttribute('data-window-width', String(width));
  await expect(viewport).toHaveAttribute('data-window-center', String(center));
  await expect(page.getByTestId('imaging-overlay')).toContainText(`W ${width} L ${center}`);
}

/** Waits until the viewport shows exactly the picture `signature` stands for. */
async function shows(viewport: Locator, signature: string): Promise<void> {
  await expect.poll(async () => (await canvasPixels(viewport)).signature, { timeout: 10_000 }).toBe(signature);
}

test('window/level readout: after a wheel scroll and after presets it names the window the picture is drawn in', async ({ page }) => {
  // The reader's path: lung window, then the wheel to another slice.
  const first = await openViewer(page);
  await readout(page, first.viewport, 400, 40);
  await page.getByTestId('imaging-preset').selectOption('lung');
  await readout(page, first.viewport, 1500, -600);
  const lungHere = await waitForChange(first.viewport, first.image);
  const box = (await first.viewport.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 120);
  await expect(first.viewport).not.toHaveAttribute('data-image-index', '6');
  const slice = Number(await first.viewport.getAttribute('data-image-index'));
  const scrolled = await waitForChange(first.viewport, lungHere);
  // The readout must still say lung (it used to fall back to the file's 400/40 here), and so must the window menu…
  await readout(page, first.viewport, 1500, -600);
  await expect(page.getByTestId('imaging-preset')).toHaveValue('lung');
  await screenshot(page, 'imaging-truth-01-lung-after-wheel');
  // …and a preset changes both picture and readout.
  await page.getByTestId('imaging-preset').selectOption('soft-tissue');
  await readout(page, first.viewport, 400, 40);
  const softAfter = await waitForChange(first.viewport, scrolled);
  await page.getByTestId('imaging-preset').selectOption('lung');
  await readout(page, first.viewport, 1500, -600);
  await shows(first.viewport, scrolled.signature);

  // The reference: the same slice reached first, each window applied to it fresh.
  const fresh = await openViewer(page);
  await fresh.viewport.focus();
  for (let i = 6; i !== slice; i += slice > 6 ? 1 : -1) await page.keyboard.press(slice > 6 ? 'ArrowDown' : 'ArrowUp');
  await expect(fresh.viewport).toHaveAttribute('data-image-index', String(slice));
  const softFresh = await waitForChange(fresh.viewport, fresh.image);
  await readout(page, fresh.viewport, 400, 40);
  expect(softAfter.signature).toBe(softFresh.signature);
  await page.getByTestId('imaging-preset').selectOption('lung');
  await readout(page, fresh.viewport, 1500, -600);
  // The picture after the wheel was drawn in the lung window the readout named.
  await shows(fresh.viewport, scrolled.signature);
});

test('a series the PACS fails to send: its thumbnail and the viewer say why, and the other series still open', async ({ page }) => {
  // Chromium logs the failed requests; Cornerstone logs them and leaves its internal promises
  // rejected unhandled (pageerror "XMLHttpRequest"): library noise, the UI below says what failed.
  suite.expectConsole(/status of 502|XMLHttpRequest/);
  await suite.visit(page);
  const thumbs = page.getByTestId('imaging-series-thumb');
  await expect(thumbs).toHaveCount(2);
  const good = thumbs.nth(0);
  const broken = thumbs.nth(1);
  const brokenUid = (await broken.getAttribute('data-series-uid'))!;
  // What the proxy answers when the PACS fails with HTTP 500 (the code and status it sends).
  await page.route(`**/series/${brokenUid}/instances/*/frames/*`, (route) =>
    route.fulfill({
      status: 502,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'x-huizhen-error': 'pacs-failed', 'x-huizhen-pacs-status': '500' },
      body: 'PACS failed (HTTP 500)\n',
    }),
  );
  await page.reload();
  await expect(thumbs).toHaveCount(2);
  await expect(broken).toHaveAttribute('data-state', 'failed');
  await expect(broken).toHaveAttribute('data-code', 'pacs-failed');
  await expect(broken).toHaveAttribute('title', 'PACS 出错（HTTP 500）');
  await expect(broken.getByTestId('imaging-thumb-status')).toHaveText('无法加载');
  await expect(good).toHaveAttribute('data-state', 'ready');

  await broken.click();
  const panel = page.getByTestId('imaging-panel');
  await expect(panel).toHaveAttribute('data-state', 'failed');
  const error = page.getByTestId('imaging-error');
  await expect(error).toHaveAttribute('data-code', 'pacs-failed');
  await expect(error).toHaveText('影像无法加载：PACS 出错（HTTP 500）。 本检查的其他序列仍可打开。');
  await screenshot(page, 'imaging-truth-02-series-failed');

  await good.click();
  await expect(panel).toHaveAttribute('data-state', 'ready');
  await expect(error).toHaveCount(0);
  await waitForImage(page.getByTestId('imaging-viewport'));
});
