/**
 * What Cornerstone keeps between viewers lives in module-level state (its image cache, the
 * WADO-RS metadata map, the request queues) and outlives every React component. Left alone,
 * one 200-slice CT stays decoded in memory after its patient is closed, and the cache grows to
 * Cornerstone's default 3 GB before it evicts anything.
 */
import { Enums, cache, imageLoadPoolManager } from '@cornerstonejs/core';
import { wadors } from '@cornerstonejs/dicom-image-loader';
import { MIN_IMAGE_CACHE_BYTES, imageCacheBudget } from './image-budget.ts';
import { createPrefetchYield } from './prefetch-yield.ts';

/**
 * Frames fetched ahead of the one on screen, at once. A slot is held from the request until the
 * frame is decoded and cached, so with two (the earlier setting, when frames were copied to and
 * from the decode worker and their garbage outran the collector) never more than three requests
 * were in flight, 1.8 on average, and the cached 200-slice CT arrived at the pace of one round
 * trip at a time (docs/benchmarks.md, issue 18). Eight fill Chromium's six connections to the
 * host while two frames decode; frames now travel to and from the worker by transfer
 * (vite.config.ts), and the renderer's peak stays inside its 600 MB (viewer comparison bench).
 * While the reader scrolls, prefetch-yield.ts holds it to one.
 */
export const PREFETCH_REQUESTS_AT_ONCE = 8;

const prefetchYield = createPrefetchYield(
  (requests) => imageLoadPoolManager.setMaxSimultaneousRequests(Enums.RequestType.Prefetch, requests),
  PREFETCH_REQUESTS_AT_ONCE,
  { setTimeout: (run, ms) => window.setTimeout(run, ms), clearTimeout: (handle) => window.clearTimeout(handle as number) },
);

/** A viewport moved to another slice at the reader's hand: prefetch steps aside until they pause (prefetch-yield.ts). */
export function yieldPrefetchToScroll(): void {
  prefetchYield.stepped();
}

export function capImageCache(): void {
  cache.setMaxCacheSize(MIN_IMAGE_CACHE_BYTES);
  imageLoadPoolManager.setMaxSimultaneousRequests(Enums.RequestType.Prefetch, PREFETCH_REQUESTS_AT_ONCE);
}

/** The stacks mounted in a viewport now, by viewport: the cache is sized for them together. */
const shown = new Map<string, { imageIds: readonly string[]; bytes: number }>();

function resize(): void {
  cache.setMaxCacheSize(imageCacheBudget([...shown.values()].map((s) => s.bytes)));
}

/**
 * A viewport shows a stack: the cache grows to hold it beside the others on screen. The returned
 * release drops its decoded frames that no other viewport shows (a prior leaving the 1×2 layout
 * gives back its ≈ 60 MB at once instead of when the cache next evicts) and shrinks the cache.
 */
export function holdStack(viewportId: string, imageIds: readonly string[], bytes: number): () => void {
  shown.set(viewportId, { imageIds, bytes });
  resize();
  return () => {
    if (!shown.delete(viewportId)) return;
    const still = new Set([...shown.values()].flatMap((s) => s.imageIds));
    // Only decoded frames: one still loading would be purged under its own request (Cornerstone
    // warns). The few in flight arrive into the cache and leave it when space is next needed.
    for (const imageId of imageIds) {
      if (!still.has(imageId) && cache.isLoaded(imageId)) cache.removeImageLoadObject(imageId, { force: true });
    }
    resize();
  };
}

/**
 * Drops every image, volume, pending request and metadata record Cornerstone holds: called when
 * the imaging panel unmounts, which happens only when its patient is closed or switched (tabs
 * stay mounted while a patient is open), so nothing of one patient's images outlives them.
 */
export function releaseImagingMemory(): void {
  prefetchYield.dispose();
  shown.clear();
  cache.setMaxCacheSize(MIN_IMAGE_CACHE_BYTES);
  for (const type of Object.values(Enums.RequestType)) imageLoadPoolManager.clearRequestStack(type);
  cache.purgeCache();
  wadors.metaDataManager.purge();
}
