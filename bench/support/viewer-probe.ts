/**
 * Viewer measurements taken inside the page (bench/support/page-probes.js), so Playwright's
 * round trips do not count: when the viewport's canvas first shows an image, which frame
 * responses came from where, and how many distinct slices were drawn per second while the
 * keyboard steps through a stack.
 */
import { expect, type Page, type Request, type Response } from '@playwright/test';
import { z } from 'zod';

export const VIEWPORT = '[data-testid="imaging-viewport"]';

/** Calls a page probe and validates its answer: the page is a boundary like any other. */
export async function probe<T>(page: Page, schema: z.ZodType<T>, expression: string): Promise<T> {
  return schema.parse(await page.evaluate(expression));
}

type ProbeGlobal = { __benchProbe: Record<string, (arg: unknown) => unknown> };

/**
 * Polls a page probe until it answers truthy. A function predicate, not a string: the app's CSP
 * forbids eval, which Playwright would use for a string.
 */
export async function waitForProbe(
  page: Page,
  method: string,
  arg: unknown,
  options: { polling?: 'raf' | number; timeout: number },
): Promise<unknown> {
  const handle = await page.waitForFunction(
    ([m, a]) => (globalThis as unknown as ProbeGlobal).__benchProbe[m]!(a),
    [method, arg] as const,
    options,
  );
  return handle.jsonValue();
}

/** Resolves with performance.now() (page clock) when the viewport's canvas has lit pixels. */
export async function waitForFirstImage(page: Page, timeout = 120_000): Promise<number> {
  return z.number().parse(await waitForProbe(page, 'litAt', VIEWPORT, { polling: 'raf', timeout }));
}

/** Resolves with performance.now() (page clock) when the viewer says every slice is decoded (armed by armDecoded). */
export async function waitForDecoded(page: Page, timeout = 180_000): Promise<number> {
  return z.number().parse(await waitForProbe(page, 'decodedAt', null, { polling: 100, timeout }));
}

export interface FrameLog {
  /** Frame URLs whose response fully arrived: when (Node clock) and the x-huizhen-cache outcome. */
  finished: Map<string, { at: number; cache: string }>;
  firstRequestAt?: number;
  /** Frame batches (x-huizhen-frames) answered, and refused (their frames then asked one by one). */
  batches: { answered: number; refused: number };
  stop(): void;
}

const BATCH_SEGMENT = '/x-huizhen-frames?';

/** The frame URLs a batch request stands for (none for any other URL). */
function framesOf(url: string): string[] {
  const at = url.indexOf(BATCH_SEGMENT);
  if (at < 0) return [];
  const instances = new URL(url).searchParams.get('instances') ?? '';
  return instances.split(',').map((uid) => `${url.slice(0, at)}/instances/${uid}/frames/1`);
}

/**
 * Watches /dicom-web/ traffic: when the first request left, and each frame response with its cache
 * outcome. The outcome is read from the 'response' event (its headers come with it) rather than by
 * `request.response()` at 'requestfinished': that is one more Playwright call per frame, whose
 * dispatch cost the bench's own process CPU during the very reopen it measures.
 */
export function watchDicomweb(page: Page): FrameLog {
  const outcomes = new Map<string, string>();
  const isFrame = (url: string) => /\/frames\/\d+/.test(url) || url.includes(BATCH_SEGMENT);
  const onRequest = (request: Request) => {
    if (request.url().includes('/dicom-web/')) log.firstRequestAt ??= performance.now();
  };
  const onResponse = (response: Response) => {
    const url = response.url();
    if (!isFrame(url)) return;
    const cache = response.headers()['x-huizhen-cache'] ?? `HTTP ${response.status()} without cache header`;
    outcomes.set(url, cache);
    if (!url.includes(BATCH_SEGMENT)) return;
    // A refused batch's frames are asked one by one after it. An answered one brings each of its
    // instances' first frame: counted from its headers, since Chromium reports some batches read
    // to the end by the frame-fetch worker as aborted (net::ERR_ABORTED) after their 200.
    if (response.status() !== 200) return void (log.batches.refused += 1);
    log.batches.answered += 1;
    arrived(url, `${cache} (batched)`);
  };
  const arrived = (url: string, cache: string) => {
    const at = performance.now();
    for (const frame of framesOf(url)) log.finished.set(frame, { at, cache });
  };
  const onFinished = (request: Request) => {
    const url = request.url();
    const cache = outcomes.get(url) ?? 'no response';
    if (url.includes(BATCH_SEGMENT)) {
      // Read to the end: the arrival time of its frames.
      if (cache === 'hit') arrived(url, `${cache} (batched)`);
    } else if (isFrame(url)) log.finished.set(url, { at: performance.now(), cache });
  };
  const log: FrameLog = {
    finished: new Map(),
    batches: { answered: 0, refused: 0 },
    stop: () => {
      page.off('request', onRequest);
      page.off('response', onResponse);
      page.off('requestfinished', onFinished);
    },
  };
  page.on('request', onRequest);
  page.on('response', onResponse);
  page.on('requestfinished', onFinished);
  return log;
}

/** Waits until `count` distinct frames of the series have arrived; returns the (Node clock) time of the last. */
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
  await page.evaluate(`window.__benchProbe.armScroll(${JSON.stringify(VIEWPORT)})`);
  for (let i = 1; i < count; i++) await page.keyboard.press('ArrowDown');
  await expect(viewport).toHaveAttribute('data-image-index', String(count - 1), { timeout: 30_000 });
  await waitForProbe(page, 'scrollDrawn', count - 1, { timeout: 30_000 });
  const run = await probe(page, z.object({ drawn: z.number(), ms: z.number() }), 'window.__benchProbe.scroll()');
  return { steps: count - 1, drawn: run.drawn, seconds: run.ms / 1000 };
}
