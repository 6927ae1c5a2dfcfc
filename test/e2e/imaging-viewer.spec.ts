import { expect, test, type Page } from '@playwright/test';
import { canvasPixels, dragAcross, waitForChange, waitForImage } from '../support/imaging-canvas.ts';
import { imagingHarnessSuite } from './imaging-harness-suite.ts';
import { screenshot } from './support.ts';
import { viewerControl } from './viewer-tools.ts';

/**
 * The embedded Cornerstone3D viewer alone (dev harness page, the app's CSP) over the real
 * DICOMweb proxy, encrypted cache and demo PACS: assertions on drawn pixels and on the
 * viewport's state attributes. test/e2e/imaging.spec.ts covers the same viewer inside the app.
 */
const suite = imagingHarnessSuite();

const openViewer = (page: Page) => suite.openViewer(page);

test('opens the newest CT with series thumbnails drawn from the middle image', async ({ page }) => {
  suite.harness.setProps({});
  const { panel, viewport } = await openViewer(page);
  const ct = suite.harness.studies[0]!;
  expect(ct.modalities).toContain('CT');
  await expect(panel).toHaveAttribute('data-study-uid', ct.studyUid);
  await expect(panel).toHaveAttribute('data-rendering', 'cpu');
  // The phantom stack: 12 slices, opened in the middle.
  await expect(viewport).toHaveAttribute('data-image-count', '12');
  await expect(viewport).toHaveAttribute('data-image-index', '6');
  await expect(viewport).toHaveAttribute('data-window-width', '400');
  await expect(viewport).toHaveAttribute('data-window-center', '40');

  const thumbs = page.getByTestId('imaging-series-thumb');
  await expect(thumbs).toHaveCount(2);
  for (let i = 0; i < 2; i++) {
    await expect(thumbs.nth(i)).toHaveAttribute('data-state', 'ready');
    const lit = await thumbs
      .nth(i)
      .locator('canvas')
      .evaluate((node) => {
        const c = node as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let j = 0; j < d.length; j += 4) if (d[j]! + d[j + 1]! + d[j + 2]! > 48) n++;
        return n / (d.length / 4);
      });
    expect(lit).toBeGreaterThan(0.02);
  }
  // Overlay text and orientation markers of an axial head-first-supine slice.
  const overlay = page.getByTestId('imaging-overlay');
  await expect(overlay).toContainText('张伟');
  await expect(overlay).toContainText('P10000001');
  await expect(overlay).toContainText('7 / 12');
  await expect(page.getByTestId('imaging-orientation-top')).toHaveText('A');
  await expect(page.getByTestId('imaging-orientation-left')).toHaveText('R');
  await screenshot(page, 'imaging-01-ct-opened');
});

test('window/level: presets and a drag change the pixels and the state', async ({ page }) => {
  const { viewport, image } = await openViewer(page);
  await page.getByTestId('imaging-preset').selectOption('lung');
  await expect(viewport).toHaveAttribute('data-window-width', '1500');
  await expect(viewport).toHaveAttribute('data-window-center', '-600');
  const lung = await waitForChange(viewport, image);
  await screenshot(page, 'imaging-02-lung-window');

  for (const [name, width, center] of [
    ['bone', 2500, 480],
    ['brain', 80, 40],
    ['liver', 150, 90],
    ['soft-tissue', 400, 40],
  ] as const) {
    await page.getByTestId('imaging-preset').selectOption(name);
    await expect(viewport).toHaveAttribute('data-window-width', String(width));
    await expect(viewport).toHaveAttribute('data-window-center', String(center));
  }
  const soft = await waitForChange(viewport, lung);
  expect(soft.signature).toBe(image.signature);

  // Dragging with the window/level tool: right widens the window, down moves the level.
  await dragAcross(page, viewport, [0.5, 0.5], [0.75, 0.7]);
  await expect(viewport).not.toHaveAttribute('data-window-width', '400');
  await waitForChange(viewport, soft);
  // The window menu says so: custom, with the numbers the readout gives.
  const menu = page.getByTestId('imaging-preset');
  await expect(menu).toHaveAttribute('data-current', 'custom');
  const width = await viewport.getAttribute('data-window-width');
  const center = await viewport.getAttribute('data-window-center');
  await expect(menu.locator('option:checked')).toHaveText(`自定义 ${width}/${center}`);
  await screenshot(page, 'imaging-02b-window-menu-custom');
  // The keyboard reaches it and picks a preset like any select.
  await menu.focus();
  await page.keyboard.press('ArrowUp');
  await expect(menu).not.toHaveValue('custom');
  await expect(viewport).not.toHaveAttribute('data-window-width', width ?? '');
});

test('stack scroll by keys, wheel and slider changes the slice', async ({ page }) => {
  const { viewport, image } = await openViewer(page);
  await viewport.focus();
  await page.keyboard.press('ArrowDown');
  await expect(viewport).toHaveAttribute('data-image-index', '7');
  const next = await waitForChange(viewport, image);
  await expect(page.getByTestId('imaging-overlay')).toContainText('8 / 12');

  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(viewport).toHaveAttribute('data-image-index', '5');

  const box = (await viewport.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 120);
  await expect(viewport).not.toHaveAttribute('data-image-index', '5');

  await page.getByTestId('imaging-slider').fill('0');
  await expect(viewport).toHaveAttribute('data-image-index', '0');
  const top = await waitForChange(viewport, next);
  await page.keyboard.press('End');
  await expect(viewport).toHaveAttribute('data-image-index', '11');
  await waitForChange(viewport, top);
  await screenshot(page, 'imaging-03-last-slice');
});

test('invert, zoom, pan and reset', async ({ page }) => {
  const { viewport, image } = await openViewer(page);
  await (await viewerControl(page, 'imaging-tool-invert')).click();
  await expect(viewport).toHaveAttribute('data-invert', 'true');
  const inverted = await waitForChange(viewport, image);
  expect(inverted.mean).toBeGreaterThan(image.mean);

  await page.getByTestId('imaging-tool-zoom').click();
  await expect(viewport).toHaveAttribute('data-tool', 'zoom');
  await dragAcross(page, viewport, [0.5, 0.6], [0.5, 0.3]);
  const zoomed = await waitForChange(viewport, inverted);

  await page.getByTestId('imaging-tool-pan').click();
  await dragAcross(page, viewport, [0.5, 0.5], [0.7, 0.6]);
  await waitForChange(viewport, zoomed);
  await screenshot(page, 'imaging-04-inverted-zoomed');

  await (await viewerControl(page, 'imaging-tool-reset')).click();
  await expect(viewport).toHaveAttribute('data-invert', 'false');
  await expect(viewport).toHaveAttribute('data-window-width', '400');
  await expect.poll(async () => (await canvasPixels(viewport)).signature).toBe(image.signature);
});

test('length, angle and elliptical ROI measurements are drawn', async ({ page }) => {
  const { viewport } = await openViewer(page);
  await (await viewerControl(page, 'imaging-tool-length')).click();
  await dragAcross(page, viewport, [0.35, 0.5], [0.65, 0.5]);
  await expect(viewport).toHaveAttribute('data-measurements', '1');

  await (await viewerControl(page, 'imaging-tool-ellipse')).click();
  await dragAcross(page, viewport, [0.45, 0.3], [0.55, 0.4]);
  await expect(viewport).toHaveAttribute('data-measurements', '2');

  await (await viewerControl(page, 'imaging-tool-angle')).click();
  const box = (await viewport.boundingBox())!;
  const at = (x: number, y: number) => page.mouse.click(box.x + box.width * x, box.y + box.height * y);
  await at(0.3, 0.7);
  await at(0.4, 0.8);
  await at(0.5, 0.7);
  await expect(viewport).toHaveAttribute('data-measurements', '3');

  // The annotations are SVG over the canvas: lines, an ellipse, and their text boxes (mm).
  const svg = viewport.locator('svg');
  await expect(svg.locator('line, path, polyline').first()).toBeAttached();
  await expect(svg.locator('ellipse, path').first()).toBeAttached();
  await expect(svg).toContainText('mm');
  await screenshot(page, 'imaging-05-measurements');
});

test('cine plays through the stack at the chosen rate and stops', async ({ page }) => {
  const { viewport } = await openViewer(page);
  await (await viewerControl(page, 'imaging-cine-fps')).selectOption('25');
  await (await viewerControl(page, 'imaging-cine')).click();
  await expect(page.getByTestId('imaging-cine')).toHaveAttribute('data-state', 'playing');
  const seen = new Set<string>();
  await expect
    .poll(
      async () => {
        seen.add((await viewport.getAttribute('data-image-index')) ?? '');
        return seen.size;
      },
      { timeout: 10_000 },
    )
    .toBeGreaterThan(3);
  await (await viewerControl(page, 'imaging-cine')).click();
  await expect(page.getByTestId('imaging-cine')).toHaveAttribute('data-state', 'stopped');
});

test('every stored codec decodes under the CSP (JPEG 2000, JPEG-LS, RLE, uncompressed)', async ({ page }) => {
  const { viewport } = await openViewer(page);
  const thumbs = page.getByTestId('imaging-series-thumb');
  // The CT's key image is JPEG 2000.
  await thumbs.nth(1).click();
  await expect(viewport).toHaveAttribute('data-series-uid', (await thumbs.nth(1).getAttribute('data-series-uid'))!);
  await expect(page.getByTestId('imaging-panel')).toHaveAttribute('data-state', 'ready');
  await waitForImage(viewport);

  // The brain MR: a phantom stack plus JPEG-LS lossless and RLE samples.
  const mr = suite.harness.studies.find((s) => s.modalities.includes('MR'))!;
  await page.locator(`[data-testid="imaging-study"][data-study-uid="${mr.studyUid}"]`).click();
  await expect(page.getByTestId('imaging-panel')).toHaveAttribute('data-study-uid', mr.studyUid);
  await expect(thumbs).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    await expect(thumbs.nth(i)).toHaveAttribute('data-state', 'ready');
    await thumbs.nth(i).click();
    await expect(viewport).toHaveAttribute('data-series-uid', (await thumbs.nth(i).getAttribute('data-series-uid'))!);
    await expect(page.getByTestId('imaging-panel')).toHaveAttribute('data-state', 'ready');
    await waitForImage(viewport);
  }
  await screenshot(page, 'imaging-06-mr-rle');
});

test('the prior CT is one click away; the overlay masks name and ID when asked', async ({ page }) => {
  suite.harness.setProps({ maskOverlay: true, locale: 'en' });
  const { panel, viewport, image } = await openViewer(page);
  const overlay = page.getByTestId('imaging-overlay');
  await expect(overlay).toHaveAttribute('data-masked', 'true');
  await expect(page.getByTestId('imaging-overlay-patient')).toHaveText('张*');
  await expect(overlay).not.toContainText('张伟');
  await expect(overlay).not.toContainText('P10000001');
  await expect(overlay).toContainText('*****0001');

  const prior = suite.harness.studies.find((s) => s.studyUid !== suite.harness.studies[0]!.studyUid && s.modalities.includes('CT'))!;
  const button = page.getByTestId('imaging-open-prior');
  await expect(button).toContainText('Compare with prior');
  await button.click();
  await expect(panel).toHaveAttribute('data-study-uid', prior.studyUid);
  await expect(panel).toHaveAttribute('data-state', 'ready');
  await waitForChange(viewport, image);
  await screenshot(page, 'imaging-07-prior-masked-en');
  suite.harness.setProps({});
});

test('with the PACS stopped, the studies opened before load from the encrypted cache', async ({ page }) => {
  await suite.harness.pacs.pacs.stop();
  const { viewport, image } = await openViewer(page);
  expect(image.lit).toBeGreaterThan(0.02);
  await viewport.focus();
  await page.keyboard.press('Home');
  await expect(viewport).toHaveAttribute('data-image-index', '0');
  await waitForChange(viewport, image);
  await screenshot(page, 'imaging-08-offline-from-cache');
});
