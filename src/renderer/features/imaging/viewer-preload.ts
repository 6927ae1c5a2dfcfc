/**
 * Loads the viewer's chunk and starts Cornerstone (decode workers included) while the browser is
 * idle after sign-in, so the imaging tab waits for pixels only. Measured (docs/benchmarks.md,
 * "Viewer first image"): of the ≈ 800 ms from the tab's click to a warm first image, ≈ 450 ms were
 * the 4.3 MB chunk's download and parse, ≈ 120 ms its evaluation and ≈ 100–200 ms Cornerstone's
 * start and the decode workers' first compile. A reader signs in, searches and reads the summary
 * before opening images, which is seconds of idle time for this; the patient's data is not asked
 * for here (nothing is fetched for a patient before the reader asks).
 */
import type * as ViewerChunk from './viewer-chunk.ts';

let chunk: Promise<typeof ViewerChunk> | undefined;
let loaded: typeof ViewerChunk | undefined;

/** The viewer's chunk, imported once; a failed import (network) is tried again on the next call. */
export function loadViewerChunk(): Promise<typeof ViewerChunk> {
  if (!chunk) {
    const loading = import('./viewer-chunk.ts');
    chunk = loading;
    loading.then(
      (viewer) => (loaded = viewer),
      () => {
        if (chunk === loading) chunk = undefined;
      },
    );
  }
  return chunk;
}

/**
 * The chunk if it has loaded already. React holds a suspended boundary's content back for 300 ms
 * after its fallback showed (its fallback throttle), even when the lazy import is settled: a
 * panel rendered from a loaded chunk must not suspend at all (measured: 340 ms of an idle main
 * thread between the metadata's arrival and the first frame request).
 */
export function loadedViewerChunk(): typeof ViewerChunk | undefined {
  return loaded;
}

/** The browser's idle scheduling, narrowed to what the preload uses (so tests can drive it). */
export interface IdleScheduler {
  requestIdleCallback(run: () => void, options?: { timeout: number }): number;
  cancelIdleCallback(handle: number): void;
}

/**
 * Each step in its own idle period: the chunk's evaluation (≈ 120 ms) and Cornerstone's start
 * are single main-thread tasks; apart, neither holds up a search or a patient being opened for long.
 */
export function preloadViewer(
  idle: IdleScheduler = window,
  load: () => Promise<Pick<typeof ViewerChunk, 'ensureCornerstone'>> = loadViewerChunk,
): () => void {
  let cancelled = false;
  let handle = 0;
  const later = (step: () => void) => {
    if (!cancelled) handle = idle.requestIdleCallback(step);
  };
  later(() =>
    load().then(
      (viewer) => later(() => void viewer.ensureCornerstone().catch(() => undefined)),
      // The tab imports it again when opened, and shows that failure if it fails again.
      () => undefined,
    ),
  );
  return () => {
    cancelled = true;
    idle.cancelIdleCallback(handle);
  };
}
