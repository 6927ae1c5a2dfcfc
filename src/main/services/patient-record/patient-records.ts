import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import { studyInstanceUidsOf } from '../../../adapters/dicomweb/index.ts';
import type { ApiEvent } from '../../../shared/api/events.ts';
import type { QualityFinding } from '../../../shared/domain/quality.ts';
import type { SourcePatientRef, SourceStatus } from '../../../shared/domain/source.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { answerWarningFindings, buildCheckedTimeline } from '../data-quality/index.ts';
import { cacheKeyOf } from './cache-key.ts';
import { recordsInSourceOrder } from './records-in-source-order.ts';
import type { RecordSources } from './configured-source.ts';
import { fetchRecords, type FetchRecordsDeps } from './fetch-records.ts';
import type { PatientRecordCache } from './patient-record-cache.ts';
import { OpenPatientViews } from './open-patient-views.ts';
import { throttle } from './throttle.ts';
import { firstScreenOf } from './timeline-snapshot-cache.ts';

/** Every timeline the clinician sees carries its records' quality findings (nothing is dropped). */
function buildTimeline(resources: SourcedResource[]): TimelineEntry[] {
  return buildCheckedTimeline(resources).entries;
}

const SNAPSHOT_INTERVAL_MS = 250;
/** Partial snapshots of records up to this size go whole; larger ones as their first screen. */
const STREAM_WHOLE_UP_TO = 1_000;

export interface PatientRecordsOptions {
  sources: RecordSources;
  recordCache?: PatientRecordCache;
  /** Sources that push (inbound HL7). */
  pushSources: ReadonlySet<string>;
  /** Where partial and refreshed timelines go (the renderer, through the API's events). */
  emit: (event: ApiEvent) => void;
  /**
   * Every complete record's quality findings (its entries' and its Patient records'), e.g. for the
   * console's aggregates: each distinct findings array with how many entries carry it (most
   * defective entries share one frozen array, so a 100,000-entry record is a handful of groups).
   */
  onAssessed?: (refs: readonly SourcePatientRef[], findings: ReadonlyMap<readonly QualityFinding[], number>) => void;
}

/** What an open patient's reply carries: the complete merged timeline and its sources' states. */
export interface OpenedPatient {
  viewId: string;
  entries: TimelineEntry[];
  sources: SourceStatus[];
  /** Findings about records the timeline does not show (a Patient's 身份证): they have no entry to sit on. */
  quality: QualityFinding[];
}

/** Opening, refreshing and closing patients' merged records. */
export interface PatientRecords {
  open(refs: readonly SourcePatientRef[], requestedId?: string): Promise<OpenedPatient>;
  close(viewId: string): boolean;
  /** The merged record of one patient, for callers without a UI (the CLI, prefetch). */
  loadTimeline(
    refs: readonly SourcePatientRef[],
    signal?: AbortSignal,
  ): Promise<{ entries: TimelineEntry[]; resources: SourcedResource[]; quality: QualityFinding[] }>;
  /** A system record changed in the cache: every open patient that includes it gets a new complete timeline. */
  refreshFromCache(ref: SourcePatientRef): Promise<void>;
  /** The cache key of the open patient whose record holds this study. */
  patientKeyForStudy(studyInstanceUid: string): string | undefined;
  closeAll(): void;
}

interface OpenRecord {
  refs: readonly SourcePatientRef[];
  parts: Map<string, SourcedResource[]>;
  statuses: () => SourceStatus[];
}

export function createPatientRecords(options: PatientRecordsOptions): PatientRecords {
  const { sources, recordCache, emit } = options;
  const openViews = new OpenPatientViews();
  // The per-system parts of each open patient, so a later change to one part re-derives the timeline.
  const openRecords = new Map<string, OpenRecord>();
  // Which patient each imaging study belongs to, so images cache under that patient's key.
  const studyOwners = new Map<string, string>();
  const deps: FetchRecordsDeps = {
    sources,
    pushSources: options.pushSources,
    ...(recordCache ? { recordCache } : {}),
    onPart(key, records) {
      for (const { resource } of records) {
        if (resource.resourceType !== 'ImagingStudy') continue;
        for (const uid of studyInstanceUidsOf(resource)) studyOwners.set(uid, key);
      }
    },
  };
  /** A complete record's timeline; its findings go to whoever keeps the console's aggregates. */
  const completeTimeline = (refs: readonly SourcePatientRef[], resources: SourcedResource[], seen?: ReadonlyMap<string, SourceStatus>) => {
    const checked = buildCheckedTimeline(resources);
    const { entries, recordFindings } = checked;
    if (options.onAssessed) {
      const groups = new Map<readonly QualityFinding[], number>();
      if (recordFindings.length > 0) groups.set(recordFindings, 1);
      for (const entry of entries) if (entry.quality) groups.set(entry.quality, (groups.get(entry.quality) ?? 0) + 1);
      // This load's partial answers: the console's data-quality tally per source, as IT acts on it.
      for (const [finding, count] of answerWarningFindings(seen?.values() ?? [])) groups.set(finding, count);
      options.onAssessed(refs, groups);
    }
    return checked;
  };
  const saveSnapshot = (refs: readonly SourcePatientRef[], parts: Map<string, SourcedResource[]>, entries: TimelineEntry[]) =>
    void recordCache?.saveTimelineSnapshot(
      refs.filter((r) => sources.byId.has(r.sourceId)),
      parts,
      entries,
    );

  async function open(refs: readonly SourcePatientRef[], requestedId?: string): Promise<OpenedPatient> {
    const { viewId, signal } = openViews.start(requestedId);
    const involved = new Set(refs.map((r) => r.sourceId));
    const seen = new Map<string, SourceStatus>();
    const statuses = () => sources.board.all().flatMap((s) => (involved.has(s.sourceId) ? [seen.get(s.sourceId) ?? s] : []));
    const parts = new Map<string, SourcedResource[]>();
    openRecords.set(viewId, { refs, parts, statuses });
    // Partial snapshots: the first (often the cache) at once, later ones at most every
    // SNAPSHOT_INTERVAL_MS. A large record streams only its first screen while loading (a
    // 20,000-entry timeline is 30 MB of JSON, and a browser blocks for seconds taking one in);
    // the reply itself is the final, complete snapshot, so none is sent as an event.
    let wholeSent = false;
    const partial = (entries: TimelineEntry[], totalEntries = entries.length, whole = false) => {
      if (!openViews.isOpen(viewId)) return;
      const large = entries.length > STREAM_WHOLE_UP_TO;
      // Once the whole cached record is on screen, a first screen would take rows away: the
      // reply brings the merged record instead (sources report progress meanwhile).
      if (large && !whole && wholeSent) return;
      wholeSent ||= whole;
      const shown = whole || !large ? entries : firstScreenOf(entries);
      const total = Math.max(totalEntries, entries.length);
      emit({
        type: 'timeline.updated',
        viewId,
        entries: shown,
        sources: statuses(),
        complete: false,
        ...(shown.length < total ? { totalEntries: total } : {}),
      });
    };
    const snapshots = throttle(SNAPSHOT_INTERVAL_MS, (collected: SourcedResource[]) => partial(buildTimeline(collected)));
    const resources = await fetchRecords(deps, refs, {
      signal,
      parts,
      seen,
      onProgress: snapshots.push,
      onPreview: (entries, totalEntries) => partial(entries, totalEntries),
      // The whole cached record goes at once, however large: in an outage it is all there is
      // until the systems' deadlines pass.
      onCached: (collected) => partial(buildTimeline(collected), undefined, true),
    });
    snapshots.cancel();
    const { entries, recordFindings } = completeTimeline(refs, resources, seen);
    saveSnapshot(refs, parts, entries);
    return { viewId, entries, sources: statuses(), quality: recordFindings };
  }

  return {
    open,
    close(viewId) {
      openRecords.delete(viewId);
      return openViews.close(viewId);
    },
    async loadTimeline(refs, signal = new AbortController().signal) {
      const parts = new Map<string, SourcedResource[]>();
      const seen = new Map<string, SourceStatus>();
      const resources = await fetchRecords(deps, refs, { signal, parts, seen });
      const { entries, recordFindings } = completeTimeline(refs, resources, seen);
      saveSnapshot(refs, parts, entries);
      return { entries, resources, quality: recordFindings };
    },
    async refreshFromCache(ref) {
      if (!recordCache) return;
      for (const [viewId, record] of openRecords) {
        if (!openViews.isOpen(viewId)) {
          openRecords.delete(viewId);
          continue;
        }
        if (!record.refs.some((r) => r.sourceId === ref.sourceId && r.sourcePatientId === ref.sourcePatientId)) continue;
        const part = await recordCache.read(ref);
        if (!part) continue;
        record.parts.set(cacheKeyOf(ref), part.records);
        emit({
          type: 'timeline.updated',
          viewId,
          entries: completeTimeline(record.refs, recordsInSourceOrder(record.parts, record.refs, sources.byId)).entries,
          sources: record.statuses(),
          complete: true,
        });
      }
    },
    patientKeyForStudy: (uid) => studyOwners.get(uid),
    closeAll: () => openViews.closeAll(),
  };
}
