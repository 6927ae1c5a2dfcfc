/**
 * Reads what the viewer actually drew: a signature of the viewport canvas's pixels (so a test
 * can tell that window/level, scrolling or inverting changed the image) and whether anything
 * non-black is there at all (the first render event can fire on a still-black canvas).
 */
import { expect, type Locator, type Page } from '@playwright/test';

export interface CanvasPixels {
  width: number;
  height: number;
  /** Mean of R, G and B over the canvas (0–255). */
  mean: number;
  /** Share of pixels brighter than 16. */
  lit: number;
  /** FNV-1a over every 7th pixel's RGB: equal images give equal signatures. */
  signature: string;
}

export async function canvasPixels(canvasHost: Locator): Promise<CanvasPixels> {
  return canvasHost
    .locator('canvas')
    .first()
    .evaluate((node) => {
      const canvas = node as HTMLCanvasElement;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('the viewport canvas has no 2D context');
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let sum = 0;
      let lit = 0;
      let hash = 0x811c9dc5;
      const pixels = data.length / 4;
      for (let i = 0; i < data.length; i += 4) {
        const v = data[i]! + data[i + 1]! + data[i + 2]!;
        sum += v;
        if (v > 48) lit++;
        if ((i / 4) % 7 === 0) {
          hash = Math.imul(hash ^ data[i]!, 16777619);
          hash = Math.imul(hash ^ data[i + 1]!, 16777619);
          hash = Math.imul(hash ^ data[i + 2]!, 16777619);
        }
      }
      return {
        width: canvas.width,
        height: canvas.height,
        mean: sum / (3 * pixels),
        lit: lit / pixels,
        signature: (hash >>> 0).toString(16),
      };
    });
}

/** Waits until the canvas shows an image (some lit pixels), returning its pixels. */
export async function waitForImage(canvasHost: Locator, minLit = 0.02): Promise<CanvasPixels> {
  let last: CanvasPixels | undefined;
  await expect
    .poll(
      async () => {
        last = await canvasPixels(canvasHost);
        return last.lit;
      },
      { timeout: 20_000 },
    )
    .toBeGreaterThan(minLit);
  return last!;
}

/** Waits until the canvas differs from `before` (an interaction took effect on the pixels). */
export async function waitForChange(canvasHost: Locator, before: CanvasPixels): Promise<CanvasPixels> {
  let last: CanvasPixels | undefined;
  await expect
    .poll(
      async () => {
        last = await canvasPixels(canvasHost);
        return last.signature;
      },
      { timeout: 10_000 },
    )
    .not.toBe(before.signature);
  return last!;
}

/** Drags with the left button across the middle of an element. */
export async function dragAcross(page: Page, target: Locator, from: [number, number], to: [number, number], steps = 8): Promise<void> {
  const box = await target.boundingBox();
  if (!box) throw new Error('element has no box');
  await page.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to[0], box.y + box.height * to[1], { steps });
  await page.mouse.up();
}
