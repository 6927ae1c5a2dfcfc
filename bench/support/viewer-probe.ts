/**
 * Measurements taken inside the page, so Playwright's round trips do not count: when the
 * viewport's canvas first shows an image, which frame responses came from where, and how many
 * distinct slices were actually drawn per second while the keyboard steps through a stack.
 */
import { expect, type Page, type Request } from '@playwright/test';

export const VIEWPORT = '[data-testid="imaging-viewport"]';

/** Resolves with performance.now() (page clock) when the viewport's canvas has lit pixels. */
export async function waitForFirstImage(page: Page, timeout = 120_000): Promise<number> {
  const handle = await page.waitForFunction(
    (selector) => {
      const canvas = document.querySelector(selector)?.querySelector('canvas');
      if (!canvas || canvas.width === 0) return false;
      const ctx = canvas.getContext('2d');
      if (!ctx) return false;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let lit = 0;
      for (let i = 0; i < data.length; i += 4 * 13) if (data[i]! + data[i + 1]! + data[i + 2]! > 48) lit++;
      return lit / (data.length / (4 * 13)) > 0.02 ? performance.now() : false;
    },
    VIEWPORT,
    { polling: 'raf', timeout },
  );
  return (await handle.jsonValue()) as number;
}

export interface FrameLog {
  /** Distinct frame URLs of the series whose response has fully arrived, with the page-independent wall time. */
  finished: Map<string, { at: number; cache: string }>;
  firstRequestAt?: number;
  stop(): void;
}

/** Watches /dicom-web/ traffic: when the first request left, and each frame response with its x-huizhen-cache outcome. */
export function watchDicomweb(page: Page): FrameLog {
  const log: FrameLog = {
    finished: new Map(),
    stop: () => {
      page.off('request', onRequest);
      page.off('requestfinished', onFinished);
    },
  };
  const onRequest = (request: Request) => {
    if (request.url().includes('/dicom-web/')) log.firstRequestAt ??= performance.now();
  };
  const onFinished = (request: Request) => {
    const url = request.url();
    if (!/\/frames\/\d+/.test(url)) return;
    const at = performance.now();
    void request.response().then((response) => {
      log.finished.set(url, { at, cache: response?.headers()['x-huizhen-cache'] ?? 'none' });
    });
  };
  page.on('request', onRequest);
  page.on('requestfinished', onFinished);
  return log;
}

/** Waits until `count` distinct frames of the series have arrived; returns the wall time of the last. */
export async function waitForFrames(log: FrameLog, seriesUid: string, count: number, timeout = 180_000): Promise<number> {
  const of = () => [...log.finished].filter(([url]) => url.includes(`/series/${seriesUid}/`));
  await expect.poll(() => of().length, { timeout, intervals: [100] }).toBeGreaterThanOrEqual(count);
  return Math.max(...of().map(([, f]) => f.at));
}

export function cacheOutcomes(log: FrameLog, seriesUid: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [url, f] of log.finished) if (url.includes(`/series/${seriesUid}/`)) counts[f.cache] = (counts[f.cache] ?? 0) + 1;
  return counts;
}

export interface ScrollRun {
  steps: number;
  drawn: number;
  seconds: number;
}

/**
 * Home, then ArrowDown through the whole stack with real key presses as fast as Playwright
 * sends them; the page counts slices that were both made current and drawn. A renderer that
 * cannot keep up coalesces steps into one draw, so drawn < steps and the rate says so.
 */
export async function stepThroughStack(page: Page, count: number): Promise<ScrollRun> {
  const viewport = page.locator(VIEWPORT);
  await viewport.focus();
  await page.keyboard.press('Home');
  await expect(viewport).toHaveAttribute('data-image-index', '0');
  await page.evaluate((selector) => {
    const el = document.querySelector(selector)!;
    const probe = { pending: -1, drawn: new Set<number>(), last: 0, start: performance.now() };
    (window as unknown as { __scrollProbe: typeof probe }).__scrollProbe = probe;
    el.addEventListener('CORNERSTONE_STACK_NEW_IMAGE', (e) => {
      probe.pending = (e as CustomEvent<{ imageIdIndex: number }>).detail.imageIdIndex;
    });
    el.addEventListener('CORNERSTONE_IMAGE_RENDERED', () => {
      if (probe.pending <= 0) return;
      probe.drawn.add(probe.pending);
      probe.last = performance.now();
    });
  }, VIEWPORT);
  for (let i = 1; i < count; i++) await page.keyboard.press('ArrowDown');
  await expect(viewport).toHaveAttribute('data-image-index', String(count - 1), { timeout: 30_000 });
  await page.waitForFunction((last) => (window as unknown as { __scrollProbe: { drawn: Set<number> } }).__scrollProbe.drawn.has(last), count - 1, { timeout: 30_000 });
  return page.evaluate((steps) => {
    const probe = (window as unknown as { __scrollProbe: { drawn: Set<number>; last: number; start: number } }).__scrollProbe;
    return { steps, drawn: probe.drawn.size, seconds: (probe.last - probe.start) / 1000 };
  }, count - 1);
}
