/**
 * Which prefetched frames go to the proxy together (its x-huizhen-frames batch, answered from the
 * encrypted cache only). Per request, not per byte, was half of the host's CPU for a cached reopen
 * (docs/benchmarks.md): 200 frame requests become ≈ 13. A batch is a prefetched frame and its
 * nearest neighbours in the series not yet asked for, the order Cornerstone's stack prefetch asks
 * in (outward from the slice on screen). A refused batch (a series not all cached yet, e.g. the first
 * open) sends its frames one by one and pauses batching for that series for a while.
 */

/** 16 × 525 kB per answer: large enough that per-request costs vanish, small enough to keep a pipeline of two. */
export const FRAMES_PER_BATCH = 16;
/** After a refusal the series' frames are asked one by one this long (ms): it is probably being fetched from the PACS. */
export const BATCH_PAUSE_MS = 10_000;

/** `…/studies/{st}/series/{se}/instances/{sop}/frames/1`: only first frames are batched (one per instance). */
const FIRST_FRAME = /^(.*\/studies\/[0-9.]+\/series\/[0-9.]+)\/instances\/([0-9.]+)\/frames\/1$/;

interface SeriesFrames {
  order: readonly string[];
  indexOf: ReadonlyMap<string, number>;
  claimed: Set<string>;
  pausedUntil: number;
}

export interface PlannedBatch {
  batchUrl: string;
  frames: string[];
}

export class FrameBatches {
  readonly #series = new Map<string, SeriesFrames>();
  readonly #now: () => number;

  constructor(now: () => number = () => Date.now()) {
    this.#now = now;
  }

  /** A series' first-frame URLs in display order, as the viewer will ask for them (series-loader.ts). */
  register(frameUrls: readonly string[]): void {
    const firsts = frameUrls.filter((url) => FIRST_FRAME.test(url));
    const key = firsts[0] !== undefined ? FIRST_FRAME.exec(firsts[0])![1]! : undefined;
    if (key === undefined || firsts.some((url) => FIRST_FRAME.exec(url)![1] !== key)) return;
    // Registered again (a reopen in the same page): its frames may be asked for again.
    this.#series.set(key, { order: firsts, indexOf: new Map(firsts.map((url, i) => [url, i])), claimed: new Set(), pausedUntil: 0 });
  }

  /**
   * A batch around `url`: `url` itself (unless `withSelf` is false) and the nearest frames of its
   * series not yet claimed, all claimed now. Undefined: ask for `url` alone.
   */
  plan(url: string, withSelf = true): PlannedBatch | undefined {
    const match = FIRST_FRAME.exec(url);
    const series = match ? this.#series.get(match[1]!) : undefined;
    const at = series?.indexOf.get(url);
    if (!match || !series || at === undefined || this.#now() < series.pausedUntil) return undefined;
    if (withSelf && series.claimed.has(url)) return undefined;
    const frames: string[] = withSelf ? [url] : [];
    for (let step = 1; frames.length < FRAMES_PER_BATCH && (at - step >= 0 || at + step < series.order.length); step++) {
      for (const i of [at + step, at - step]) {
        const candidate = series.order[i];
        if (candidate !== undefined && !series.claimed.has(candidate) && frames.length < FRAMES_PER_BATCH) frames.push(candidate);
      }
    }
    // One frame left is not worth a batch of one (the plain request answers it, with its PACS fallback).
    if (frames.length < 2) return undefined;
    for (const frame of frames) series.claimed.add(frame);
    const instances = frames.map((frame) => FIRST_FRAME.exec(frame)![2]!);
    return { batchUrl: `${match[1]}/x-huizhen-frames?instances=${instances.join(',')}`, frames };
  }

  /** The batch was refused: its frames are asked one by one, and the series is not batched for a while. */
  refused(batch: PlannedBatch): void {
    const match = FIRST_FRAME.exec(batch.frames[0] ?? '');
    const series = match ? this.#series.get(match[1]!) : undefined;
    if (series) series.pausedUntil = this.#now() + BATCH_PAUSE_MS;
  }
}
