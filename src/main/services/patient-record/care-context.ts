import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import { fanOut, type FanOutTarget } from '../aggregator/index.ts';
import type { ConfiguredSource } from './configured-source.ts';
import type { PatientRecordCache } from './patient-record-cache.ts';

/** What the care rule reads: where and by whom the patient is cared for, and whether they have imaging. */
export const CARE_CONTEXT_TYPES: ReadonlySet<string> = new Set(['Encounter', 'ImagingStudy']);

/**
 * 'cache': only what earlier permitted opens left in the encrypted cache (instant, and what an
 * outage still has); 'systems': each system asked live, the cache for those that cannot answer.
 */
export type CareContextOrigin = 'cache' | 'systems';

export interface CareContextDeps {
  byId: ReadonlyMap<string, ConfiguredSource>;
  recordCache?: PatientRecordCache;
  target<T>(source: ConfiguredSource, read: (signal: AbortSignal) => Promise<T>): FanOutTarget<T>;
}

/**
 * The care context of one person's system records, read BEFORE the access decision and kept
 * nowhere: each system that offers a narrow query (`fetchCareContext`: FHIR Encounter and
 * ImagingStudy searches, DICOMweb QIDO at study level) is asked live; for a system that cannot
 * answer (no such query, down, slow) what an earlier permitted open left in the encrypted cache is
 * read. Nothing is written to the cache, the board or any event: a refused patient leaves no trace
 * beyond the audit line.
 */
export async function readCareContext(
  deps: CareContextDeps,
  refs: readonly SourcePatientRef[],
  signal: AbortSignal,
  from: CareContextOrigin = 'systems',
): Promise<SourcedResource[]> {
  const known = refs.filter((ref) => deps.byId.has(ref.sourceId));
  const cache = deps.recordCache;
  if (from === 'cache') return cache ? (await Promise.all(known.map((ref) => cache.readCareContext(ref, CARE_CONTEXT_TYPES)))).flat() : [];
  const refOf = new Map<FanOutTarget<SourcedResource[]>, SourcePatientRef>();
  for (const ref of known) {
    const source = deps.byId.get(ref.sourceId)!;
    const read = source.adapter.fetchCareContext?.bind(source.adapter);
    if (read)
      refOf.set(
        deps.target(source, (s) => read(ref.sourcePatientId, { signal: s })),
        ref,
      );
  }
  const results = await fanOut([...refOf.keys()], signal);
  const live = results.flatMap((r) => (r.outcome.ok ? r.outcome.value.filter((x) => CARE_CONTEXT_TYPES.has(x.resource.resourceType)) : []));
  const answered = new Set(results.filter((r) => r.outcome.ok).map((r) => refOf.get(r.target)!));
  const fromCache = cache
    ? await Promise.all(known.filter((ref) => !answered.has(ref)).map((ref) => cache.readCareContext(ref, CARE_CONTEXT_TYPES)))
    : [];
  return [...live, ...fromCache.flat()];
}
