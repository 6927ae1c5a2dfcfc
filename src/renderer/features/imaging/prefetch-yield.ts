/**
 * Prefetch steps aside while the reader scrolls. Every frame that arrives costs the page's main
 * thread its response, the hand-over to and from the decode worker and the cache insert; right
 * after a cold open of a 1×2 layout the prior was still arriving, and those arrivals took the
 * time the two viewports needed to draw each step (33.8 instead of 42–56 images/s prefetched,
 * docs/benchmarks.md). While steps come, prefetch runs one request at a time; the full number
 * returns once the reader has paused. The slices a step needs are not prefetch: the viewport
 * asks for them as interaction requests, which are never held back.
 */
export const SCROLLING_PREFETCH_REQUESTS = 1;
/** A pause this long ends the scroll: longer than the gap between steps of a held key or a wheel. */
export const SCROLL_SETTLE_MS = 250;

export interface PrefetchYield {
  /** The reader moved a viewport to another slice. */
  stepped(): void;
  dispose(): void;
}

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export function createPrefetchYield(setLimit: (requests: number) => void, full: number, timers: Timers): PrefetchYield {
  let settle: unknown;
  const restore = () => {
    settle = undefined;
    setLimit(full);
  };
  return {
    stepped() {
      if (settle === undefined) setLimit(Math.min(full, SCROLLING_PREFETCH_REQUESTS));
      else timers.clearTimeout(settle);
      settle = timers.setTimeout(restore, SCROLL_SETTLE_MS);
    },
    dispose() {
      if (settle === undefined) return;
      timers.clearTimeout(settle);
      restore();
    },
  };
}
