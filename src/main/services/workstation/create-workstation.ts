import type { ProbeResult, SourceAdapter, SourceDescriptor, SourcedResource } from '../../../adapters/source-adapter.ts';
import type { ApiEvent } from '../../../shared/api/events.ts';
import type { HuizhenConfig, SourceConfig } from '../../../shared/config/schema.ts';
import type { SourceErrorInfo, SourcePatientRef, SourceStatus } from '../../../shared/domain/source.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { studyInstanceUidsOf } from '../../../adapters/dicomweb/index.ts';
import { fanOut, type FanOutTarget } from '../aggregator/fan-out.ts';
import { SourceGuard } from '../aggregator/source-guard.ts';
import { SourceStatusBoard } from '../aggregator/source-status-board.ts';
import type { ApiEventListener, CoreBackend, CoreHandlers } from '../api/api-handlers.ts';
import { buildTimeline } from '../timeline/build-timeline.ts';
import { createAdapter } from './create-adapter.ts';
import { PatientSessions } from './patient-sessions.ts';
import { throttle } from './throttle.ts';
import { firstScreenOf } from './timeline-snapshot-cache.ts';
import type { ConfiguredSource } from './configured-source.ts';
import { searchAcrossSources } from './patient-search.ts';
import { PatientRecordCache, cacheKeyOf } from './patient-record-cache.ts';
import type { CacheStore } from '../cache/index.ts';
import type { LinkAuditEvent } from '../identity/link-decisions.ts';
import { createCacheLinkAuditLog, createInMemoryLinkAuditLog } from './link-audit-log.ts';
import { createLinkActions } from './link-actions.ts';
import { openLinkDecisionLog } from './link-decision-log.ts';
import { SeenPatients } from './seen-patients.ts';
import { readCareContext } from './care-context.ts';
import { vouchOnePerson } from '../identity/one-person.ts';
import { defaultUserId } from './workstation-user.ts';

const SNAPSHOT_INTERVAL_MS = 250;
/** Partial snapshots of records up to this size go whole; larger ones as their first screen. */
const STREAM_WHOLE_UP_TO = 1_000;

export interface Workstation extends CoreBackend {
  /** The merged record of one patient, for callers without a UI (the CLI). */
  loadTimeline(refs: readonly SourcePatientRef[], signal?: AbortSignal): Promise<{ entries: TimelineEntry[]; resources: SourcedResource[] }>;
  /**
   * A system record changed in the cache (e.g. a pushed HL7 result): every open patient that
   * includes it gets a new complete timeline.
   */
  refreshFromCache(ref: SourcePatientRef): Promise<void>;
  /** The cache key of the open patient whose record holds this study (the DICOMweb proxy caches under it). */
  patientKeyForStudy(studyInstanceUid: string): string | undefined;
  /** Asks each configured source whether it is reachable, what it speaks, and whether auth works. */
  probeSources(signal?: AbortSignal): Promise<SourceProbe[]>;
  close(): Promise<void>;
}

export interface SourceProbe {
  source: SourceDescriptor;
  result?: ProbeResult;
  error?: SourceErrorInfo;
}


export interface WorkstationOptions {
  /** Tests and the CLI inject adapters for sources they build themselves. */
  createAdapter?: (config: SourceConfig) => SourceAdapter;
  /** The opened encrypted cache; without it nothing is kept on the workstation. */
  cache?: CacheStore;
  log?: (line: string) => void;
  /** Runs first on close, e.g. to stop listeners that write into the cache before it closes. */
  beforeClose?: () => Promise<void>;
  /**
   * Who confirms and unlinks, as the decisions and the audit log record it: the signed-in user
   * (the access layer passes it); without one, the operating-system account (CLI, tests).
   */
  userId?: () => string;
  /**
   * Every confirm/unlink as an audit event, once it is stored. Interim until the audit service
   * (issue 8): the events are also kept in the cache (or in memory without one).
   */
  auditEvents?: (event: LinkAuditEvent) => void;
}

/**
 * The application core behind every host: the Electron shell, the browser host and the CLI
 * build exactly this, so all three behave the same.
 */
export async function createWorkstation(config: HuizhenConfig, options: WorkstationOptions = {}): Promise<Workstation> {
  const make = options.createAdapter ?? createAdapter;
  const sources: ConfiguredSource[] = config.sources
    .filter((s) => s.enabled)
    .map((c) => {
      const adapter = make(c);
      return { config: c, adapter, guard: new SourceGuard(adapter.source, c.resilience) };
    });
  const byId = new Map(sources.map((s) => [s.config.id, s]));
  const board = new SourceStatusBoard(sources.map((s) => s.adapter.source));
  const sessions = new PatientSessions();
  // The per-system parts of each open patient, so a later change to one part re-derives the timeline.
  const openRecords = new Map<string, { refs: readonly SourcePatientRef[]; parts: Map<string, SourcedResource[]>; statuses: () => SourceStatus[] }>();
  const pushSources = new Set(config.inboundHl7?.enabled ? [config.inboundHl7.sourceId] : []);
  const log = options.log ?? (() => {});
  const recordCache = options.cache
    ? new PatientRecordCache(options.cache, (what, error) => log(`cache: ${what}: ${error instanceof Error ? error.message : String(error)}`))
    : undefined;
  const seenPatients = new SeenPatients();
  const reportBad = (what: string) => (error: Error) => log(`cache: an unreadable ${what} was skipped: ${error.message}`);
  const decisionLog = await openLinkDecisionLog(options.cache, reportBad('link decision'));
  const linkActions = createLinkActions({
    sourceIds: new Set(config.sources.map((s) => s.id)),
    decisions: decisionLog,
    audit: options.cache ? createCacheLinkAuditLog(options.cache, reportBad('audit event')) : createInMemoryLinkAuditLog(),
    userId: options.userId ?? (() => defaultUserId()),
    ...(options.auditEvents ? { onAudit: options.auditEvents } : {}),
    patientOf: (ref) => seenPatients.get(ref),
  });
  const listeners = new Set<ApiEventListener>();
  const emit = (event: ApiEvent) => {
    for (const listener of listeners) listener(event);
  };
  board.onChange((status) => emit({ type: 'source.status', status }));

  // Which patient each imaging study belongs to, so images cache under that patient's key.
  const studyOwners = new Map<string, string>();
  const rememberStudies = (records: readonly SourcedResource[], key: string) => {
    for (const { resource } of records) {
      if (resource.resourceType !== 'ImagingStudy') continue;
      for (const uid of studyInstanceUidsOf(resource)) studyOwners.set(uid, key);
    }
  };

  function target<T>(source: ConfiguredSource, read: (signal: AbortSignal) => Promise<T>): FanOutTarget<T> {
    return { source: source.adapter.source, policy: source.config.resilience, read, guard: source.guard };
  }

  /**
   * Cache-first: what the workstation already holds paints at once; each system then answers
   * live and replaces its part (and the cache). A system that fails keeps its cached part,
   * shown "as of" its last sync.
   */
  async function fetchRecords(
    refs: readonly SourcePatientRef[],
    signal: AbortSignal,
    onProgress: (resources: SourcedResource[]) => void = () => {},
    parts = new Map<string, SourcedResource[]>(),
    seen = new Map<string, SourceStatus>(),
    onPreview: (entries: TimelineEntry[], totalEntries: number) => void = () => {},
    onCached: (resources: SourcedResource[]) => void = onProgress,
  ): Promise<SourcedResource[]> {
    const known = refs.filter((ref) => byId.has(ref.sourceId));
    const cachedAsOf = new Map<string, string>();
    const snapshot = () => [...parts.values()].flat();

    // `seen` keeps this load's own view of each source: the shared board may meanwhile show
    // another request's state (a background prefetch, another patient).
    for (const ref of known) seen.set(ref.sourceId, board.markLoading(ref.sourceId));
    if (recordCache) {
      // The first screen saved by the last complete open paints while the parts decrypt.
      const preview = await recordCache.readTimelineSnapshot(known);
      if (preview) {
        onPreview(preview.entries, preview.totalEntries);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const cached = await Promise.all(known.map((ref) => recordCache.read(ref)));
      known.forEach((ref, i) => {
        const part = cached[i];
        if (!part) return;
        parts.set(cacheKeyOf(ref), part.records);
        cachedAsOf.set(cacheKeyOf(ref), part.syncedAt);
      });
      for (const [key, records] of parts) rememberStudies(records, key);
      if (parts.size > 0) onCached(snapshot());
    }

    const writes: Promise<void>[] = [];
    const refOf = new Map<FanOutTarget<SourcedResource[]>, SourcePatientRef>();
    for (const ref of known) {
      const source = byId.get(ref.sourceId)!;
      refOf.set(target(source, (s) => source.adapter.fetchRecord(ref.sourcePatientId, { signal: s })), ref);
    }
    await fanOut(
      [...refOf.keys()],
      signal,
      ({ target: t, outcome }) => {
        const ref = refOf.get(t)!;
        const key = cacheKeyOf(ref);
        const source = byId.get(t.source.id)!;
        if (outcome.ok) {
          parts.set(key, outcome.value);
          rememberStudies(outcome.value, key);
          seen.set(t.source.id, board.record(t.source.id, outcome, source.config.resilience, outcome.value.length));
          if (recordCache) writes.push(recordCache.write(ref, outcome.value, new Date().toISOString(), !pushSources.has(ref.sourceId)));
        } else if (cachedAsOf.has(key) && outcome.error.code !== 'aborted') {
          seen.set(t.source.id, board.recordServedFromCache(t.source.id, cachedAsOf.get(key)!, outcome.error.toInfo()));
        } else {
          seen.set(t.source.id, board.record(t.source.id, outcome, source.config.resilience));
        }
        onProgress(snapshot());
      },
    );
    await Promise.all(writes);
    return snapshot();
  }

  const handlers: CoreHandlers = {
    async listSources() {
      return { sources: board.all() };
    },

    async searchPatients({ query }) {
      const candidates = await searchAcrossSources(
        { sources, board, recordCache, target, decisions: decisionLog.store, onFound: (found) => seenPatients.remember(found) },
        query,
      );
      return { candidates, sources: board.all() };
    },

    async openPatient({ refs, openId: requestedId }) {
      const { openId, signal } = sessions.start(requestedId);
      const involved = new Set(refs.map((r) => r.sourceId));
      const seen = new Map<string, SourceStatus>();
      const statuses = () => board.all().flatMap((s) => (involved.has(s.sourceId) ? [seen.get(s.sourceId) ?? s] : []));
      const parts = new Map<string, SourcedResource[]>();
      openRecords.set(openId, { refs, parts, statuses });
      // Partial snapshots: the first (often the cache) at once, later ones at most every
      // SNAPSHOT_INTERVAL_MS. A large record streams only its first screen while loading (a
      // 20,000-entry timeline is 30 MB of JSON, and a browser blocks for seconds taking one in);
      // the reply itself is the final, complete snapshot, so none is sent as an event.
      let wholeSent = false;
      const partial = (entries: TimelineEntry[], totalEntries = entries.length, whole = false) => {
        if (!sessions.isOpen(openId)) return;
        const large = entries.length > STREAM_WHOLE_UP_TO;
        // Once the whole cached record is on screen, a first screen would take rows away: the
        // reply brings the merged record instead (sources report progress meanwhile).
        if (large && !whole && wholeSent) return;
        wholeSent ||= whole;
        const shown = whole || !large ? entries : firstScreenOf(entries);
        const total = Math.max(totalEntries, entries.length);
        emit({ type: 'timeline.updated', openId, entries: shown, sources: statuses(), complete: false, ...(shown.length < total ? { totalEntries: total } : {}) });
      };
      const snapshots = throttle(SNAPSHOT_INTERVAL_MS, (collected: SourcedResource[]) => partial(buildTimeline(collected)));
      const preview = (entries: TimelineEntry[], totalEntries: number) => partial(entries, totalEntries);
      // The whole cached record goes at once, however large: in an outage it is all there is
      // until the systems' deadlines pass.
      const cached = (collected: SourcedResource[]) => partial(buildTimeline(collected), undefined, true);
      const resources = await fetchRecords(refs, signal, snapshots.push, parts, seen, preview, cached);
      snapshots.cancel();
      const entries = buildTimeline(resources);
      void recordCache?.saveTimelineSnapshot(refs.filter((r) => byId.has(r.sourceId)), parts, entries);
      return { openId, entries, sources: statuses() };
    },

    async closePatient({ openId }) {
      openRecords.delete(openId);
      return { closed: sessions.close(openId) };
    },

    async confirmLink({ a, b, note }) {
      await linkActions.confirm(a, b, note || undefined);
      return { ok: true };
    },

    async unlinkPatients({ a, b, note }) {
      await linkActions.unlink(a, b, note || undefined);
      return { ok: true };
    },

    async listLinkDecisions({ refs }) {
      return { decisions: linkActions.involving(refs) };
    },
  };

  return {
    handlers,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async loadTimeline(refs, signal = new AbortController().signal) {
      const parts = new Map<string, SourcedResource[]>();
      const resources = await fetchRecords(refs, signal, undefined, parts);
      const entries = buildTimeline(resources);
      void recordCache?.saveTimelineSnapshot(refs.filter((r) => byId.has(r.sourceId)), parts, entries);
      return { entries, resources };
    },
    identifyPerson(refs) {
      return vouchOnePerson(refs, {
        patientOf: (ref) => seenPatients.get(ref),
        decisions: decisionLog.store,
        idSystemOf: (sourceId) => byId.get(sourceId)?.config.patientIdSystem,
      });
    },
    readCareContext(refs, signal, from) {
      return readCareContext({ byId, ...(recordCache ? { recordCache } : {}), target }, refs, signal, from);
    },
    async refreshFromCache(ref) {
      if (!recordCache) return;
      for (const [openId, open] of openRecords) {
        if (!sessions.isOpen(openId)) {
          openRecords.delete(openId);
          continue;
        }
        if (!open.refs.some((r) => r.sourceId === ref.sourceId && r.sourcePatientId === ref.sourcePatientId)) continue;
        const part = await recordCache.read(ref);
        if (!part) continue;
        open.parts.set(cacheKeyOf(ref), part.records);
        emit({ type: 'timeline.updated', openId, entries: buildTimeline([...open.parts.values()].flat()), sources: open.statuses(), complete: true });
      }
    },
    patientKeyForStudy(uid) {
      return studyOwners.get(uid);
    },
    async probeSources(signal = new AbortController().signal) {
      const results = await fanOut(
        sources.map((s) => target(s, (sig) => s.adapter.probe({ signal: sig }))),
        signal,
      );
      return results.map(({ target: t, outcome }) =>
        outcome.ok ? { source: t.source, result: outcome.value } : { source: t.source, error: outcome.error.toInfo() },
      );
    },
    async close() {
      await options.beforeClose?.();
      sessions.closeAll();
      listeners.clear();
      options.cache?.close();
    },
  };
}
