import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { SourcePatientRef, SourceStatus } from '../../../shared/domain/source.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { collectWarnings, fanOut, type FanOutResult, type FanOutTarget, type WarningCollector } from '../aggregator/index.ts';
import { cacheKeyOf } from './cache-key.ts';
import { recordsInSourceOrder } from './records-in-source-order.ts';
import type { RecordSources } from './configured-source.ts';
import type { PatientRecordCache } from './patient-record-cache.ts';

export interface FetchRecordsDeps {
  sources: RecordSources;
  recordCache?: PatientRecordCache;
  /** Sources that push (inbound HL7): their cached parts are kept clear of the idle purge. */
  pushSources: ReadonlySet<string>;
  /** Told each part as it arrives, under its cache key (the DICOMweb proxy learns study owners). */
  onPart?: (key: string, records: readonly SourcedResource[]) => void;
}

export interface FetchRecordsOptions {
  signal: AbortSignal;
  /** Each system's answer as it arrives (the whole record so far). */
  onProgress?: (resources: SourcedResource[]) => void;
  /** The first screen saved by the last complete open, before anything decrypts. */
  onPreview?: (entries: TimelineEntry[], totalEntries: number) => void;
  /** Everything the cache held, once decrypted; defaults to `onProgress`. */
  onCached?: (resources: SourcedResource[]) => void;
  /** Filled with the record per system, by cache key, so a later change to one part re-derives the timeline. */
  parts?: Map<string, SourcedResource[]>;
  /** Filled with this load's own view of each source's status. */
  seen?: Map<string, SourceStatus>;
}

/**
 * A system that also pushes (inbound HL7: the HIS's orders, the LIS's results) answers a query
 * without what it pushed; the cache keeps those records (written without `replace`), and so must
 * the view, or a pushed order would vanish from the patient each time the patient is opened.
 */
function withPushed(live: SourcedResource[], cached: readonly SourcedResource[] | undefined): SourcedResource[] {
  if (!cached || cached.length === 0) return live;
  const keyOf = (r: SourcedResource) => `${r.resource.resourceType}/${r.resource.id ?? ''}`;
  const answered = new Set(live.map(keyOf));
  const pushed = cached.filter((r) => !answered.has(keyOf(r)));
  return pushed.length === 0 ? live : [...live, ...pushed];
}

/**
 * Cache-first: what the workstation already holds paints at once; each system then answers
 * live and replaces its part (and the cache). A system that fails keeps its cached part,
 * shown "as of" its last sync.
 */
export async function fetchRecords(
  deps: FetchRecordsDeps,
  refs: readonly SourcePatientRef[],
  options: FetchRecordsOptions,
): Promise<SourcedResource[]> {
  const { byId, board } = deps.sources;
  const { recordCache } = deps;
  const parts = options.parts ?? new Map<string, SourcedResource[]>();
  const seen = options.seen ?? new Map<string, SourceStatus>();
  const onProgress = options.onProgress ?? (() => {});
  const onCached = options.onCached ?? onProgress;
  const onPart = deps.onPart ?? (() => {});
  const known = refs.filter((ref) => byId.has(ref.sourceId));
  const cachedAsOf = new Map<string, string>();
  const snapshot = () => recordsInSourceOrder(parts, known, byId);

  // `seen` keeps this load's own view of each source: the shared board may meanwhile show
  // another request's state (a background prefetch, another patient).
  for (const ref of known) seen.set(ref.sourceId, board.markLoading(ref.sourceId));

  const cacheIn = recordCache
    ? (async () => {
        // The first screen saved by the last complete open paints while the parts decrypt.
        const preview = await recordCache.readTimelineSnapshot(known);
        if (preview) {
          options.onPreview?.(preview.entries, preview.totalEntries);
          await new Promise((resolve) => setImmediate(resolve));
        }
        const cached = await Promise.all(known.map((ref) => recordCache.read(ref)));
        known.forEach((ref, i) => {
          const part = cached[i];
          if (!part) return;
          parts.set(cacheKeyOf(ref), part.records);
          cachedAsOf.set(cacheKeyOf(ref), part.syncedAt);
        });
        for (const [key, records] of parts) onPart(key, records);
        if (parts.size > 0) onCached(snapshot());
      })()
    : Promise.resolve();

  const writes: Promise<void>[] = [];
  const take = ({ target: t, outcome }: FanOutResult<SourcedResource[]>) => {
    const ref = refOf.get(t)!;
    const key = cacheKeyOf(ref);
    const source = byId.get(t.source.id)!;
    if (outcome.ok) {
      const view = deps.pushSources.has(ref.sourceId) ? withPushed(outcome.value, parts.get(key)) : outcome.value;
      parts.set(key, view);
      onPart(key, view);
      const warnings = warningsOf.get(t)?.warnings();
      seen.set(t.source.id, board.record(t.source.id, outcome, source.config.resilience, outcome.value.length, warnings));
      if (recordCache) writes.push(recordCache.write(ref, outcome.value, new Date().toISOString(), !deps.pushSources.has(ref.sourceId)));
    } else if (cachedAsOf.has(key) && outcome.error.code !== 'aborted') {
      seen.set(t.source.id, board.recordServedFromCache(t.source.id, cachedAsOf.get(key)!, outcome.error.toInfo(), outcome.latencyMs));
    } else {
      seen.set(t.source.id, board.record(t.source.id, outcome, source.config.resilience));
    }
    onProgress(snapshot());
  };

  // The systems are asked while the cache is read, not after: each deadline counts from the
  // open, so a hung system is given up on at its deadline. Their answers are taken in once the
  // cache is in, so a live part always replaces the cached one, never the other way round.
  const refOf = new Map<FanOutTarget<SourcedResource[]>, SourcePatientRef>();
  const warningsOf = new Map<FanOutTarget<SourcedResource[]>, WarningCollector<SourcedResource[]>>();
  for (const ref of known) {
    const source = byId.get(ref.sourceId)!;
    const collector = collectWarnings((signal, onWarnings) => source.adapter.fetchRecord(ref.sourcePatientId, { signal, onWarnings }));
    const target = deps.sources.target(source, collector.read);
    refOf.set(target, ref);
    warningsOf.set(target, collector);
  }
  const taken: Promise<void>[] = [];
  await fanOut([...refOf.keys()], options.signal, (answer) => {
    taken.push(cacheIn.then(() => take(answer)));
  });
  await cacheIn;
  await Promise.all(taken);
  await Promise.all(writes);
  return snapshot();
}
