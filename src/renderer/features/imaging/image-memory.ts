/**
 * What Cornerstone keeps between viewers lives in module-level state (its image cache, the
 * WADO-RS metadata map, the request queues) and outlives every React component. Left alone,
 * one 200-slice CT stays decoded in memory after its patient is closed, and the cache grows to
 * Cornerstone's default 3 GB before it evicts anything.
 */
import { Enums, cache, imageLoadPoolManager } from '@cornerstonejs/core';
import { wadors } from '@cornerstonejs/dicom-image-loader';

/**
 * Decoded images kept for scrolling: a 200-slice 512² CT at 16 bits (105 MB) fits whole; a
 * second large series evicts the least recently used slices (refetched from the workstation's
 * own DICOMweb endpoint, which answers from its encrypted cache). Sized so the renderer with a
 * 20,000-entry timeline and such a CT stays under 600 MB (docs/benchmarks.md).
 */
export const IMAGE_CACHE_BUDGET_BYTES = 128 * 1024 * 1024;

/**
 * Frames fetched ahead of the one on screen, at once. Each frame passes through several
 * buffers on its way into the cache (response, loader copy, copies to and from the decode
 * worker) that wait for a collection; prefetching five at a time outran the collector by
 * 100–160 MB of such garbage at the renderer's peak. Two keep the series arriving well ahead of
 * a radiologist's scrolling and give the collector its idle moments.
 */
export const PREFETCH_REQUESTS_AT_ONCE = 2;

export function capImageCache(budgetBytes = IMAGE_CACHE_BUDGET_BYTES): void {
  cache.setMaxCacheSize(budgetBytes);
  imageLoadPoolManager.setMaxSimultaneousRequests(Enums.RequestType.Prefetch, PREFETCH_REQUESTS_AT_ONCE);
}

/**
 * Drops every image, volume, pending request and metadata record Cornerstone holds: called when
 * the imaging panel unmounts, which happens only when its patient is closed or switched (tabs
 * stay mounted while a patient is open), so nothing of one patient's images outlives them.
 */
export function releaseImagingMemory(): void {
  for (const type of Object.values(Enums.RequestType)) imageLoadPoolManager.clearRequestStack(type);
  cache.purgeCache();
  wadors.metaDataManager.purge();
}
