import { expect, test, type Locator, type Page } from '@playwright/test';
import { canvasPixels, dragAcross, waitForChange, waitForImage, type CanvasPixels } from '../support/imaging-canvas.ts';
import { imagingHarnessSuite } from './imaging-harness-suite.ts';
import { screenshot } from './support.ts';

/**
 * Comparison: 张伟's current chest CT (12 slices of 1.5 mm in the demo PACS's small profile)
 * opens beside his 2024 chest CT (12 slices of 2.5 mm); scrolling one moves the other to the
 * slice at the nearest position (not the same index), the window/level links on request, and
 * the viewer goes full screen. Dev harness page over the real proxy, cache and demo PACS;
 * assertions on the viewports' state, their overlays and the pixels drawn.
 */
const suite = imagingHarnessSuite();

interface Viewports {
  main: Locator;
  prior: Locator;
  mainImage: CanvasPixels;
  priorImage: CanvasPixels;
}

async function openComparison(page: Page): Promise<Viewports> {
  await suite.visit(page);
  await expect(page.getByTestId('imaging-panel')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('imaging-compare-grid')).toHaveAttribute('data-layout', '1x2');
  const cell = page.getByTestId('imaging-compare-cell');
  await expect(cell).toHaveCount(1);
  await expect(cell).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  const main = page.getByTestId('imaging-viewport');
  const prior = page.getByTestId('imaging-compare-viewport');
  return { main, prior, mainImage: await waitForImage(main), priorImage: await waitForImage(prior) };
}

/** The slice a viewport shows, as its attributes and its overlay say. */
async function expectSlice(page: Page, viewport: Locator, prefix: string, index: number, position: string): Promise<void> {
  await expect(viewport).toHaveAttribute('data-image-index', String(index));
  await expect(viewport).toHaveAttribute('data-slice-position', position);
  await expect(page.getByTestId(`${prefix}-overlay-image`)).toHaveText(new RegExp(`${index + 1} / 12$`));
  await expect(page.getByTestId(`${prefix}-overlay-position`)).toHaveText(new RegExp(`${Number(position).toFixed(1)} mm$`));
}

async function expectWindow(page: Page, viewport: Locator, prefix: string, width: number, center: number): Promise<void> {
  await expect(viewport).toHaveAttribute('data-window-width', String(width));
  await expect(viewport).toHaveAttribute('data-window-center', String(center));
  await expect(page.getByTestId(`${prefix}-overlay-window`)).toHaveText(`W ${width} L ${center}`);
}

test('a patient with a prior opens current and prior 1×2; scrolling either moves the other to the nearest slice position', async ({
  page,
}) => {
  suite.harness.setProps({});
  const { main, prior, mainImage, priorImage } = await openComparison(page);
  const [current, previous] = suite.harness.studies;
  await expect(page.getByTestId('imaging-panel')).toHaveAttribute('data-study-uid', current!.studyUid);
  await expect(page.getByTestId('imaging-compare-cell')).toHaveAttribute('data-study-uid', previous!.studyUid);
  expect(previous!.description).toBe(current!.description);
  // Both open at the middle; z = -1.5 (current) and -2.5 (prior) are each other's nearest.
  await expectSlice(page, main, 'imaging', 6, '-1.50');
  await expectSlice(page, prior, 'imaging-compare', 6, '-2.50');
  await expect(page.getByTestId('imaging-sync-scroll')).toHaveAttribute('aria-pressed', 'true');
  await screenshot(page, 'imaging-compare-01-opened-zh');

  // Three slices down the current (1.5 mm each): z = -6.0. The prior's nearest is -5.0 (its
  // slice 8 of 12), where the same index would have been -10.0.
  await main.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await expectSlice(page, main, 'imaging', 9, '-6.00');
  await expectSlice(page, prior, 'imaging-compare', 7, '-5.00');
  const mainScrolled = await waitForChange(main, mainImage);
  const priorScrolled = await waitForChange(prior, priorImage);

  // The wheel on the prior (2.5 mm a slice, up towards the head) brings the current along.
  const box = (await prior.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -120);
  await expect(prior).toHaveAttribute('data-image-index', '6');
  await expectSlice(page, prior, 'imaging-compare', 6, '-2.50');
  // Nearest to -2.5 in the current: -3.0 (index 7, 0.5 mm away), not -1.5 (index 6, 1 mm).
  await expectSlice(page, main, 'imaging', 7, '-3.00');
  await waitForChange(main, mainScrolled);
  await waitForChange(prior, priorScrolled);
  await screenshot(page, 'imaging-compare-02-synced-zh');

  // Unlinked (key S), the prior stays where it is.
  await main.focus();
  await page.keyboard.press('s');
  await expect(page.getByTestId('imaging-sync-scroll')).toHaveAttribute('aria-pressed', 'false');
  const before = await canvasPixels(main);
  await page.keyboard.press('ArrowUp');
  await expectSlice(page, main, 'imaging', 6, '-1.50');
  await waitForChange(main, before);
  await expectSlice(page, prior, 'imaging-compare', 6, '-2.50');
});

test("the slice slider moves and reads the active viewport: the prior's position when the prior is active", async ({ page }) => {
  suite.harness.setProps({});
  const { main, prior } = await openComparison(page);
  const bar = page.getByTestId('imaging-slider-bar');
  const slider = page.getByTestId('imaging-slider');
  const readout = page.getByTestId('imaging-slider-position');
  await expect(bar).toHaveAttribute('data-cell', '0');
  await expect(slider).toHaveValue('6');
  await expect(readout).toHaveText('7/12');

  // The current study scrolled alone (unlinked): the slider says where the active viewport is.
  await main.focus();
  await page.keyboard.press('s');
  await page.keyboard.press('ArrowDown');
  await expect(main).toHaveAttribute('data-image-index', '7');
  await expect(slider).toHaveValue('7');
  await expect(readout).toHaveText('8/12');
  await expect(prior).toHaveAttribute('data-image-index', '6');

  // The prior made active: its slider, at its own slice, not the current study's.
  await prior.click();
  await expect(bar).toHaveAttribute('data-cell', '1');
  await expect(bar).toContainText('视窗 2');
  await expect(slider).toHaveValue('6');
  await expect(readout).toHaveText('7/12');
  await page.mouse.wheel(0, 120);
  await expect(prior).toHaveAttribute('data-image-index', '7');
  await expect(slider).toHaveValue('7');
  await expect(main).toHaveAttribute('data-image-index', '7');

  // Linked again, the slider drives the prior (z = 5.0) and the current follows to its nearest (4.5).
  await page.keyboard.press('s');
  await expect(page.getByTestId('imaging-sync-scroll')).toHaveAttribute('aria-pressed', 'true');
  await slider.fill('3');
  await expectSlice(page, prior, 'imaging-compare', 3, '5.00');
  await expect(readout).toHaveText('4/12');
  await expectSlice(page, main, 'imaging', 2, '4.50');
  await expect(page.getByTestId('imaging-compare-cell')).toHaveAttribute('data-scroll-link', 'linked');
  await screenshot(page, 'imaging-compare-08-slider-prior-zh');

  // Back on the current study: its own slice.
  await main.click();
  await expect(bar).toHaveAttribute('data-cell', '0');
  await expect(slider).toHaveValue('2');
  await expect(readout).toHaveText('3/12');
});

test('window/level linked: a preset or a drag in one viewport changes both pictures and both readouts', async ({ page }) => {
  suite.harness.setProps({});
  const { main, prior, mainImage, priorImage } = await openComparison(page);
  await expectWindow(page, main, 'imaging', 400, 40);
  await expectWindow(page, prior, 'imaging-compare', 400, 40);

  // Not linked yet: a preset changes the current only.
  await page.getByTestId('imaging-preset').selectOption('bone');
  await expectWindow(page, main, 'imaging', 2500, 480);
  const mainBone = await waitForChange(main, mainImage);
  await expectWindow(page, prior, 'imaging-compare', 400, 40);
  expect((await canvasPixels(prior)).signature).toBe(priorImage.signature);

  // The tools act on the viewport last clicked: the brain preset goes to the prior alone.
  await prior.click();
  await expect(page.getByTestId('imaging-compare-cell')).toHaveAttribute('data-active', 'true');
  await page.getByTestId('imaging-preset').selectOption('brain');
  await expectWindow(page, prior, 'imaging-compare', 80, 40);
  await expectWindow(page, main, 'imaging', 2500, 480);
  await waitForChange(prior, priorImage);

  await page.getByTestId('imaging-link-window').click();
  await expect(page.getByTestId('imaging-link-window')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('imaging-preset').selectOption('lung');
  await expectWindow(page, main, 'imaging', 1500, -600);
  await expectWindow(page, prior, 'imaging-compare', 1500, -600);
  const mainLung = await waitForChange(main, mainBone);
  const priorLung = await waitForChange(prior, priorImage);

  // A drag with the W/L tool on the prior moves the current's window with it.
  await dragAcross(page, prior, [0.5, 0.5], [0.7, 0.6]);
  await expect(prior).not.toHaveAttribute('data-window-width', '1500');
  const width = (await prior.getAttribute('data-window-width'))!;
  const center = (await prior.getAttribute('data-window-center'))!;
  await expectWindow(page, main, 'imaging', Number(width), Number(center));
  await expectWindow(page, prior, 'imaging-compare', Number(width), Number(center));
  const mainDragged = await waitForChange(main, mainLung);
  await waitForChange(prior, priorLung);

  // The readout stays the truth after the wheel (synchronised scrolling moves both).
  await page.mouse.wheel(0, 120);
  await expect(prior).toHaveAttribute('data-image-index', '7');
  await waitForChange(main, mainDragged);
  await expectWindow(page, main, 'imaging', Number(width), Number(center));
  await expectWindow(page, prior, 'imaging-compare', Number(width), Number(center));
  await screenshot(page, 'imaging-compare-03-window-linked-zh');

  // A viewport opened while linked (1×1, then 1×2 again) joins in the linked window and slice,
  // and its file's own 400/40 does not spread to the current one.
  await main.focus();
  await page.keyboard.press('1');
  await expect(page.getByTestId('imaging-compare-cell')).toHaveCount(0);
  await page.keyboard.press('2');
  await expect(page.getByTestId('imaging-compare-cell')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expectWindow(page, prior, 'imaging-compare', Number(width), Number(center));
  await expect(prior).toHaveAttribute('data-image-index', '7');
  await expectWindow(page, main, 'imaging', Number(width), Number(center));
});

test('a window dragged with the mouse stays the window drawn and read out on the next slices (1×1, key 1)', async ({ page }) => {
  suite.harness.setProps({});
  const { main, mainImage } = await openComparison(page);
  await main.focus();
  await page.keyboard.press('1');
  await expect(page.getByTestId('imaging-compare-grid')).toHaveAttribute('data-layout', '1x1');
  await expect(page.getByTestId('imaging-compare-cell')).toHaveCount(0);
  await dragAcross(page, main, [0.5, 0.5], [0.75, 0.7]);
  await expect(main).not.toHaveAttribute('data-window-width', '400');
  const width = Number(await main.getAttribute('data-window-width'));
  const center = Number(await main.getAttribute('data-window-center'));
  const dragged = await waitForChange(main, mainImage);
  await page.mouse.wheel(0, 120);
  await expect(main).toHaveAttribute('data-image-index', '7');
  const next = await waitForChange(main, dragged);
  // It used to fall back to the last preset (or the file's 400/40) here on the CPU path.
  await expectWindow(page, main, 'imaging', width, center);
  await page.mouse.wheel(0, -120);
  await expect(main).toHaveAttribute('data-image-index', '6');
  await waitForChange(main, next);
  // Back on the first slice, the picture is the one the drag drew: the window drawn is the one read out.
  await expect.poll(async () => (await canvasPixels(main)).signature, { timeout: 10_000 }).toBe(dragged.signature);
  await expectWindow(page, main, 'imaging', width, center);
});

test('a series thumbnail says it is loading until its image arrives, then shows it', async ({ page }) => {
  suite.harness.setProps({});
  await suite.visit(page);
  const thumbs = page.getByTestId('imaging-series-thumb');
  await expect(thumbs).toHaveCount(2);
  const keyImage = (await thumbs.nth(1).getAttribute('data-series-uid'))!;
  // The key image's frame is held back until the loading state has been seen: no timing involved.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(`**/series/${keyImage}/instances/*/frames/*`, async (route) => {
    await released;
    await route.continue();
  });
  await page.reload();
  await expect(thumbs).toHaveCount(2);
  await expect(thumbs.nth(0)).toHaveAttribute('data-state', 'ready');
  await expect(thumbs.nth(1)).toHaveAttribute('data-state', 'loading');
  await expect(thumbs.nth(1).getByTestId('imaging-thumb-status')).toHaveText('加载中…');
  await screenshot(page, 'imaging-compare-07-thumb-loading-zh');
  release();
  await expect(thumbs.nth(1)).toHaveAttribute('data-state', 'ready');
  await expect(thumbs.nth(1).getByTestId('imaging-thumb-status')).toHaveCount(0);
  const lit = await thumbs
    .nth(1)
    .locator('canvas')
    .evaluate((node) => {
      const canvas = node as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! > 48) n++;
      return n / (data.length / 4);
    });
  expect(lit).toBeGreaterThan(0.02);
});

test('layouts, "对比" and drag from the sidebar, full screen with F and Esc; the same in English', async ({ page }) => {
  suite.harness.setProps({});
  const { main } = await openComparison(page);
  const grid = page.getByTestId('imaging-compare-grid');

  // Key 4: 2×2, the two new viewports empty until something is put there.
  await main.focus();
  await page.keyboard.press('4');
  await expect(grid).toHaveAttribute('data-layout', '2x2');
  await expect(page.getByTestId('imaging-compare-empty')).toHaveCount(2);
  const mr = suite.harness.studies.find((s) => s.modalities.includes('MR'))!;
  await page.locator(`[data-testid="imaging-compare-study"][data-study-uid="${mr.studyUid}"]`).click();
  const cells = page.getByTestId('imaging-compare-cell');
  await expect(cells).toHaveCount(2);
  await expect(cells.nth(1)).toHaveAttribute('data-study-uid', mr.studyUid);
  await expect(cells.nth(1)).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  const mrViewport = cells.nth(1).getByTestId('imaging-compare-viewport');
  await waitForImage(mrViewport);
  // Scrolling links stacks of one body part: the chest CTs move together, the head MR stays.
  const mrIndex = (await mrViewport.getAttribute('data-image-index'))!;
  await main.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(main).toHaveAttribute('data-slice-position', '-4.50');
  await expect(cells.nth(0).getByTestId('imaging-compare-viewport')).toHaveAttribute('data-slice-position', '-5.00');
  await expect(mrViewport).toHaveAttribute('data-image-index', mrIndex);
  // And each viewport says so: the prior is linked, the MR says why it is not.
  await expect(cells.nth(0)).toHaveAttribute('data-scroll-link', 'linked');
  await expect(cells.nth(0).getByTestId('imaging-compare-unlinked')).toHaveCount(0);
  await expect(cells.nth(1)).toHaveAttribute('data-scroll-link', 'other-body-part');
  await expect(cells.nth(1).getByTestId('imaging-compare-unlinked')).toHaveText('未联动滚动：部位及参考坐标系不同');

  // A series thumbnail dragged onto the last viewport shows that series there.
  const thumbs = page.getByTestId('imaging-series-thumb');
  await expect(thumbs).toHaveCount(2);
  const keyImage = (await thumbs.nth(1).getAttribute('data-series-uid'))!;
  await thumbs.nth(1).dragTo(page.getByTestId('imaging-compare-empty'));
  await expect(cells).toHaveCount(3);
  await expect(cells.nth(2).getByTestId('imaging-compare-viewport')).toHaveAttribute('data-series-uid', keyImage);
  await waitForImage(cells.nth(2).getByTestId('imaging-compare-viewport'));
  await screenshot(page, 'imaging-compare-04-2x2-zh');

  // Full screen on the viewer area: the button or F, and Esc leaves.
  const area = page.getByTestId('imaging-main');
  await page.getByTestId('imaging-fullscreen').click();
  await expect(area).toHaveAttribute('data-fullscreen', 'true');
  expect(await page.evaluate(() => document.fullscreenElement?.getAttribute('data-testid'))).toBe('imaging-main');
  await screenshot(page, 'imaging-compare-05-fullscreen-zh');
  await page.keyboard.press('Escape');
  await expect(area).toHaveAttribute('data-fullscreen', 'false');
  expect(await page.evaluate(() => document.fullscreenElement)).toBeNull();
  await main.focus();
  await page.keyboard.press('f');
  await expect(area).toHaveAttribute('data-fullscreen', 'true');
  await page.keyboard.press('Escape');
  await expect(area).toHaveAttribute('data-fullscreen', 'false');
  await page.keyboard.press('2');
  await expect(grid).toHaveAttribute('data-layout', '1x2');

  // English: the same comparison, worded in English.
  suite.harness.setProps({ locale: 'en' });
  await openComparison(page);
  await expect(page.getByTestId('imaging-sync-scroll')).toHaveText('Sync scroll');
  await expect(page.getByTestId('imaging-link-window')).toHaveText('Link W/L');
  await expect(page.getByTestId('imaging-compare-overlay-position')).toHaveText('Loc -2.5 mm');
  await expect(page.getByTestId('imaging-compare-cell')).toHaveAttribute('data-scroll-link', 'linked');
  await page.getByTestId('imaging-sync-scroll').click();
  await expect(page.getByTestId('imaging-compare-cell')).toHaveAttribute('data-scroll-link', 'off');
  await screenshot(page, 'imaging-compare-06-opened-en');
  suite.harness.setProps({});
});
