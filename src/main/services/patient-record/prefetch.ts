import type { PrefetchConfig } from '../../../shared/config/prefetch.ts';
import type { CoreHandlers, FetchHandler } from '../api/index.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';

export interface PrefetchReport {
  patients: {
    query: string;
    outcome: 'cached' | 'not-found' | 'ambiguous' | 'failed';
    entries?: number;
    images?: number;
    detail?: string;
  }[];
}

interface ImagingRef {
  sourceId: string;
  studyUid: string;
  started: string;
}

function recentStudies(entries: readonly TimelineEntry[], count: number): ImagingRef[] {
  const refs = entries.flatMap((e) => {
    if (e.resource.resourceType !== 'ImagingStudy' || !e.resource.id) return [];
    const source = e.provenance.find((p) => p.sourceKind === 'dicomweb');
    return source ? [{ sourceId: source.sourceId, studyUid: e.resource.id, started: e.clinicalTime ?? '' }] : [];
  });
  return refs.sort((a, b) => b.started.localeCompare(a.started)).slice(0, count);
}

/**
 * Walks a study through the app's own DICOMweb endpoint (series → metadata → every frame), the
 * same requests the viewer makes, so the proxy caches exactly what the viewer will ask for.
 */
async function prefetchStudy(dicomweb: FetchHandler, ref: ImagingRef, signal: AbortSignal): Promise<number> {
  const base = `http://huizhen.invalid/dicom-web/${ref.sourceId}/studies/${ref.studyUid}`;
  const json = async (url: string) => {
    const response = await dicomweb(new Request(url, { headers: { accept: 'application/dicom+json' }, signal }));
    if (!response.ok) throw new Error(`${response.status} for ${url.replace(base, 'study')}`);
    return (await response.json()) as Record<string, { Value?: unknown[] }>[];
  };
  let frames = 0;
  for (const series of await json(`${base}/series`)) {
    const seriesUid = series['0020000E']?.Value?.[0];
    if (typeof seriesUid !== 'string') continue;
    for (const instance of await json(`${base}/series/${seriesUid}/metadata`)) {
      const sopUid = instance['00080018']?.Value?.[0];
      const count = Number(instance['00280008']?.Value?.[0] ?? 1) || 1;
      if (typeof sopUid !== 'string') continue;
      for (let frame = 1; frame <= count; frame++) {
        const response = await dicomweb(
          new Request(`${base}/series/${seriesUid}/instances/${sopUid}/frames/${frame}`, {
            headers: { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' },
            signal,
          }),
        );
        await response.arrayBuffer();
        if (response.ok) frames += 1;
      }
    }
  }
  return frames;
}

/** What prefetching needs of the workstation: its search and a whole-record load. */
export interface PrefetchWorkstation {
  handlers: Pick<CoreHandlers, 'searchPatients'>;
  loadTimeline(refs: readonly SourcePatientRef[], signal?: AbortSignal): Promise<{ entries: TimelineEntry[] }>;
}

/**
 * Fetches the configured patients (and their most recent studies) into the cache, one patient
 * at a time so a ward's list never competes with a clinician's own requests for long. A query
 * that matches several patients is skipped: caching a namesake helps no one.
 */
export async function prefetchPatients(
  workstation: PrefetchWorkstation,
  config: PrefetchConfig,
  dicomweb: FetchHandler | undefined,
  signal: AbortSignal,
): Promise<PrefetchReport> {
  const report: PrefetchReport = { patients: [] };
  for (const query of config.patients) {
    if (signal.aborted) break;
    try {
      const { candidates } = await workstation.handlers.searchPatients({ query });
      if (candidates.length !== 1) {
        report.patients.push({ query, outcome: candidates.length === 0 ? 'not-found' : 'ambiguous' });
        continue;
      }
      const { entries } = await workstation.loadTimeline(candidates[0]!.refs, signal);
      let images = 0;
      if (config.images && dicomweb) {
        // Images are cached under the patient who owns the study: the workstation learns it from the record just loaded.
        for (const study of recentStudies(entries, config.studiesPerPatient)) images += await prefetchStudy(dicomweb, study, signal);
      }
      report.patients.push({ query, outcome: 'cached', entries: entries.length, images });
    } catch (error) {
      report.patients.push({ query, outcome: 'failed', detail: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}
