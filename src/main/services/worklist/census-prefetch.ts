import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { CensusKeeper } from './census-keeper.ts';

export interface CensusPrefetchOptions {
  census: CensusKeeper;
  /** Fetches one arriving patient's record (and recent images) into the cache. */
  prefetch(ref: SourcePatientRef, signal: AbortSignal): Promise<void>;
  /** Removes a patient who left the census from the cache. */
  purge(ref: SourcePatientRef): Promise<void>;
  careWindowDays: number;
  clock?: () => number;
  log?: (line: string) => void;
}

/**
 * The census drives the outage cache: a patient is fetched ahead as they arrive (admit,
 * transfer in, update that places them), one at a time so a busy admission hour does not crowd
 * out clinicians' own requests; a cancelled admission and a discharge past the care window
 * purge them. `sweep` prunes and fetches every admitted patient (start and interval).
 */
export function followCensus(options: CensusPrefetchOptions): { sweep(): Promise<{ prefetched: number; purged: number }>; stop(): void } {
  const log = options.log ?? (() => {});
  const clock = options.clock ?? Date.now;
  const stopper = new AbortController();
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>, what: string): Promise<void> =>
    (queue = queue.then(async () => {
      if (stopper.signal.aborted) return;
      try {
        await work();
      } catch (error) {
        log(`census prefetch: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }));
  const unsubscribe = options.census.subscribe((change, stay) => {
    if ((change.kind === 'arrived' || change.kind === 'moved' || change.kind === 'returned') && stay)
      void enqueue(() => options.prefetch(stay.patient, stopper.signal), 'a prefetch');
  });
  return {
    async sweep() {
      const gone = options.census.prune(clock(), options.careWindowDays);
      for (const stay of gone) await enqueue(() => options.purge(stay.patient), 'a purge');
      const admitted = options.census.stays().filter((s) => s.status === 'admitted');
      for (const stay of admitted) void enqueue(() => options.prefetch(stay.patient, stopper.signal), 'a prefetch');
      await queue;
      return { prefetched: admitted.length, purged: gone.length };
    },
    stop() {
      stopper.abort();
      unsubscribe();
    },
  };
}
