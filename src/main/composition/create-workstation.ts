import type { ProbeResult, SourceAdapter, SourceDescriptor, SourcedResource } from '../../adapters/source-adapter.ts';
import type { ApiEvent } from '../../shared/api/events.ts';
import type { HuizhenConfig, SourceConfig } from '../../shared/config/schema.ts';
import type { QualityFinding } from '../../shared/domain/quality.ts';
import type { SourceErrorInfo, SourcePatientRef } from '../../shared/domain/source.ts';
import type { TimelineEntry } from '../../shared/domain/timeline.ts';
import type { PatientCandidate } from '../../shared/domain/patient.ts';
import type { Patient } from '../../shared/domain/fhir.ts';
import { fanOut, type SourceCallListener } from '../services/aggregator/index.ts';
import { type ApiEventListener, ApiRequestError, type CoreBackend, type CoreHandlers } from '../services/api/index.ts';
import { defaultUserId } from '../services/auth/index.ts';
import type { CacheStore } from '../services/cache/index.ts';
import {
  createLinkActions,
  type LinkAuditEvent,
  LinkRequestError,
  openLinkDecisionLog,
  vouchOnePerson,
} from '../services/identity/index.ts';
import { SEARCH_PAGE_SIZE } from '../../shared/api/contract.ts';
import {
  capCandidates,
  connectSources,
  createPatientRecords,
  PatientRecordCache,
  readCareContext,
  linkFoundPatients,
  searchAcrossSources,
  SeenPatients,
} from '../services/patient-record/index.ts';
import { createAdapter } from './create-adapter.ts';
import { unitTableUsage, useUnitSpellings } from '../../adapters/units/index.ts';
import { labCodeUsage, useLabCodeMappings } from '../services/timeline/index.ts';

export interface Workstation extends CoreBackend {
  /** The merged record of one patient, for callers without a UI (the CLI). */
  loadTimeline(
    refs: readonly SourcePatientRef[],
    signal?: AbortSignal,
  ): Promise<{ entries: TimelineEntry[]; resources: SourcedResource[] }>;
  /**
   * A system record changed in the cache (e.g. a pushed HL7 result): every open patient that
   * includes it gets a new complete timeline.
   */
  refreshFromCache(ref: SourcePatientRef): Promise<void>;
  /** The cache key of the open patient whose record holds this study (the DICOMweb proxy caches under it). */
  patientKeyForStudy(studyInstanceUid: string): string | undefined;
  /**
   * The people among these system records, linked exactly as a search links its answers (the
   * ward worklist's stays); the records are remembered as a search's are, so opening one of
   * these people is vouched for as opening a searched one is.
   */
  linkPersons(found: readonly SourcedResource<Patient>[]): PatientCandidate[];
  /** Asks each configured source whether it is reachable, what it speaks, and whether auth works. */
  probeSources(signal?: AbortSignal): Promise<SourceProbe[]>;
  /**
   * A call to a source made by another feature (the ward census, the worklist's results): it
   * shows on the status bar as the search's and the open's calls do (asked → ok / slow / failed / hung).
   */
  watchSourceCall<T>(sourceId: string, read: () => Promise<T>, count?: (value: T) => number): Promise<T>;
  /** Hears every settled call to any source (numbers and a code): the administrator's source-health history. */
  onSourceCall(listener: SourceCallListener): () => void;
  /** Hears every complete record's quality findings (codes and field paths, no values): the console's quality aggregates. */
  onQualityAssessed(listener: QualityListener): () => void;
  close(): Promise<void>;
}

export type QualityListener = (refs: readonly SourcePatientRef[], findings: ReadonlyMap<readonly QualityFinding[], number>) => void;

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
   * Who confirms and unlinks, as the decisions and the audit record it: the signed-in user
   * (the access layer passes it); without one, the operating-system account (CLI, tests).
   */
  userId?: () => string;
  /** Every confirm/unlink as an audit event, once the decision is stored: the audit service records it. */
  auditEvents?: (event: LinkAuditEvent) => void;
}

/** A link request the identity service refused is the request's fault: the API answers it as such. */
async function asRequestError<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof LinkRequestError) throw new ApiRequestError(error.message);
    throw error;
  }
}

/**
 * The application core behind every host: the Electron shell, the browser host and the CLI
 * build exactly this, so all three behave the same.
 */
export async function createWorkstation(config: HuizhenConfig, options: WorkstationOptions = {}): Promise<Workstation> {
  // The hospital's mapping tables over the built-in ones, before any adapter maps a unit or a timeline a code.
  useUnitSpellings(config.mappings.units);
  useLabCodeMappings(config.mappings.labCodes);
  const sources = connectSources(config.sources, options.createAdapter ?? createAdapter);
  const log = options.log ?? (() => {});
  const listeners = new Set<ApiEventListener>();
  const emit = (event: ApiEvent) => {
    for (const listener of listeners) listener(event);
  };
  sources.board.onChange((status) => emit({ type: 'source.status', status }));
  const recordCache = options.cache
    ? new PatientRecordCache(options.cache, (what, error) =>
        log(`cache: ${what}: ${error instanceof Error ? error.message : String(error)}`),
      )
    : undefined;
  const qualityListeners = new Set<QualityListener>();
  const records = createPatientRecords({
    sources,
    onAssessed: (refs, findings) => {
      for (const listener of qualityListeners) listener(refs, findings);
    },
    ...(recordCache ? { recordCache } : {}),
    pushSources: new Set(config.inboundHl7?.enabled ? [config.inboundHl7.sourceId] : []),
    emit,
  });
  const seenPatients = new SeenPatients();
  const decisionLog = await openLinkDecisionLog(options.cache, (error) =>
    log(`cache: an unreadable link decision was skipped: ${error.message}`),
  );
  const linkActions = createLinkActions({
    sourceIds: new Set(config.sources.map((s) => s.id)),
    decisions: decisionLog,
    userId: options.userId ?? (() => defaultUserId()),
    ...(options.auditEvents ? { onAudit: options.auditEvents } : {}),
    patientOf: (ref) => seenPatients.get(ref),
  });

  const handlers: CoreHandlers = {
    listSources: async () => ({ sources: sources.board.all() }),
    viewerSettings: async () => ({ defaultLayouts: config.imaging.defaultLayouts }),
    mappingUsage: async () => ({ labCodes: labCodeUsage(), units: unitTableUsage() }),
    async searchPatients({ query, searchId, limit = SEARCH_PAGE_SIZE }) {
      const found = await searchAcrossSources(
        {
          sources: sources.all,
          board: sources.board,
          recordCache,
          target: sources.target,
          decisions: decisionLog.store,
          onFound: (f) => seenPatients.remember(f),
        },
        query,
        searchId
          ? ({ candidates, pending }) =>
              emit({ type: 'search.progress', searchId, candidates: capCandidates(candidates, limit).candidates, pending })
          : undefined,
      );
      const { candidates, more } = capCandidates(found, limit);
      return { candidates, ...(more ? { more: true as const } : {}), sources: sources.board.all() };
    },
    openPatient: ({ refs, viewId }) => records.open(refs, viewId),
    closePatient: async ({ viewId }) => ({ closed: records.close(viewId) }),
    async confirmLink({ a, b, note }) {
      await asRequestError(() => linkActions.confirm(a, b, note || undefined));
      return { ok: true };
    },
    async unlinkPatients({ a, b, note }) {
      await asRequestError(() => linkActions.unlink(a, b, note || undefined));
      return { ok: true };
    },
    listLinkDecisions: async ({ refs }) => ({ decisions: linkActions.involving(refs) }),
  };

  return {
    handlers,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    loadTimeline: (refs, signal) => records.loadTimeline(refs, signal),
    identifyPerson(refs) {
      return vouchOnePerson(refs, {
        patientOf: (ref) => seenPatients.get(ref),
        decisions: decisionLog.store,
        idSystemOf: (sourceId) => sources.byId.get(sourceId)?.config.patientIdSystem,
      });
    },
    readCareContext(refs, signal, from) {
      return readCareContext({ byId: sources.byId, ...(recordCache ? { recordCache } : {}), target: sources.target }, refs, signal, from);
    },
    linkPersons: (found) =>
      linkFoundPatients(
        {
          sources: sources.all,
          decisions: decisionLog.store,
          // The census's own thin view of a record never replaces a Patient a system returned.
          onFound: (f) =>
            seenPatients.remember(
              f.filter(
                (p) =>
                  p.provenance.messageType !== 'census' ||
                  !seenPatients.get({ sourceId: p.provenance.sourceId, sourcePatientId: p.resource.id ?? '' }),
              ),
            ),
        },
        found,
      ),
    refreshFromCache: (ref) => records.refreshFromCache(ref),
    patientKeyForStudy: (uid) => records.patientKeyForStudy(uid),
    async probeSources(signal = new AbortController().signal) {
      const results = await fanOut(
        sources.all.map((s) => sources.target(s, (sig) => s.adapter.probe({ signal: sig }))),
        signal,
      );
      return results.map(({ target: t, outcome }) =>
        outcome.ok ? { source: t.source, result: outcome.value } : { source: t.source, error: outcome.error.toInfo() },
      );
    },
    watchSourceCall(sourceId, read, count) {
      const source = sources.byId.get(sourceId);
      return source ? sources.board.watch(sourceId, source.config.resilience, read, count) : read();
    },
    onSourceCall(listener) {
      const stops = sources.all.map((s) => s.guard.onCall(listener));
      return () => stops.forEach((stop) => stop());
    },
    onQualityAssessed(listener) {
      qualityListeners.add(listener);
      return () => qualityListeners.delete(listener);
    },
    async close() {
      await options.beforeClose?.();
      records.closeAll();
      listeners.clear();
      options.cache?.close();
    },
  };
}
