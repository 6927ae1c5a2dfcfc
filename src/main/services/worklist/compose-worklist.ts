import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { Resource } from '../../../shared/domain/fhir.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { CacheStore } from '../cache/index.ts';
import { adtEventFromFrame, createCensusKeeper, type CensusKeeper } from './census-keeper.ts';
import { followCensus } from './census-prefetch.ts';
import { createLastViewed, createMemoryLastViewed } from './last-viewed.ts';
import { createWorklist, type CriticalCountPort, type Worklist } from './worklist.ts';
import type { CensusQuery } from './fhir-census.ts';

/** The cache key of one system record, as the workstation's record cache names it. */
const cacheKeyOf = (ref: SourcePatientRef): string => `${ref.sourceId}/${ref.sourcePatientId}`;

export interface WardWorklistOptions {
  cache?: CacheStore;
  careWindowDays: number;
  /** The workstation's cache-first load of one person (fetches live, stores what answers). */
  loadRecord(refs: readonly SourcePatientRef[], signal: AbortSignal): Promise<{ resources: SourcedResource[] }>;
  /** Fetches one patient's recent images through the DICOMweb proxy (the prefetch's own walk). */
  prefetchImages?(refs: readonly SourcePatientRef[], resources: readonly SourcedResource[], signal: AbortSignal): Promise<void>;
  criticalCount?: CriticalCountPort;
  /** The census sources asked live (FHIR CDRs: fhirCensusQuery). */
  censusQuery?: CensusQuery;
  /** Fetch arriving patients ahead for outages (needs the cache). */
  prefetch: boolean;
  fallbackCharset?: string;
  clock?: () => number;
  log?: (line: string) => void;
}

export interface WardWorklist {
  census: CensusKeeper;
  worklist: Worklist;
  /** Feed for the inbound MLLP listener: a stored ADT frame for this record updates the census. */
  onStoredFrame(frame: Uint8Array, patients: readonly SourcePatientRef[], messageType: string): void;
  /** Prunes discharged patients past the care window (and their cache) and prefetches the admitted. */
  sweep(): Promise<{ prefetched: number; purged: number }>;
  stop(): void;
}

/** The census, last looks, worklist and census-driven prefetch of one workstation, composed once. */
export function composeWardWorklist(options: WardWorklistOptions): WardWorklist {
  const log = options.log ?? (() => {});
  const { cache } = options;
  const unreadable = (detail: string) => log(`worklist: kept state unreadable, starting afresh (${detail})`);
  const census = createCensusKeeper(cache, unreadable);
  const lastViewed = cache ? createLastViewed(cache, unreadable) : createMemoryLastViewed();
  const cached = async (ref: SourcePatientRef): Promise<Resource[]> => {
    if (!cache || !(await cache.hasPatient(cacheKeyOf(ref)))) return [];
    return (await cache.getRecords(cacheKeyOf(ref))).records.map((r) => r.resource);
  };
  const worklist = createWorklist({
    census,
    lastViewed,
    careWindowDays: options.careWindowDays,
    ...(options.criticalCount ? { criticalCount: options.criticalCount } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.censusQuery ? { censusQuery: options.censusQuery } : {}),
    log,
    records: {
      cached,
      async refresh(refs, signal) {
        const started = new Date().toISOString();
        const { resources } = await options.loadRecord(refs, signal);
        // A source answered when the cache holds a sync (or records) for it from this refresh on.
        const answered = new Set(resources.filter((r) => r.provenance.fetchedAt >= started).map((r) => r.provenance.sourceId));
        if (cache) {
          for (const ref of refs) {
            const sync = (await cache.hasPatient(cacheKeyOf(ref))) ? await cache.getSyncState(cacheKeyOf(ref)) : {};
            for (const [sourceId, state] of Object.entries(sync)) if (state.syncedAt >= started) answered.add(sourceId);
          }
        }
        return [...new Set(refs.map((r) => r.sourceId))].filter((id) => !answered.has(id));
      },
    },
  });
  const follower =
    cache && options.prefetch
      ? followCensus({
          census,
          careWindowDays: options.careWindowDays,
          ...(options.clock ? { clock: options.clock } : {}),
          log,
          async prefetch(ref, signal) {
            const { resources } = await options.loadRecord([ref], signal);
            await options.prefetchImages?.([ref], resources, signal);
          },
          async purge(ref) {
            await cache.purgePatient(cacheKeyOf(ref));
          },
        })
      : undefined;
  return {
    census,
    worklist,
    onStoredFrame(frame, patients, messageType) {
      if (!messageType.startsWith('ADT') || patients.length !== 1) return;
      try {
        const event = adtEventFromFrame(frame, patients[0]!, options.fallbackCharset);
        if (event) census.accept(event, 'hl7v2');
      } catch (error) {
        log(`worklist: an ADT message could not update the census: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    sweep: async () => (follower ? follower.sweep() : { prefetched: 0, purged: census.prune((options.clock ?? Date.now)(), options.careWindowDays).length }),
    stop: () => follower?.stop(),
  };
}
