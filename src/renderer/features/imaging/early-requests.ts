/**
 * The viewer's first DICOMweb requests, sent the moment the imaging tab opens, while the
 * viewer's own code (Cornerstone3D, megabytes) is still loading: the study's series list, then
 * the metadata of the series shown first. The loader takes each answer once instead of asking
 * again. Nothing here imports Cornerstone, so this stays in the app's first bundle.
 */
import { DatasetsSchema, TAGS, integer, text } from './dicom-json.ts';

/** An answer nobody took (the reader went elsewhere) is dropped after this long. */
const KEEP_MS = 30_000;

const early = new Map<string, Promise<Response>>();
/** Study → when its requests were last sent early: the panel re-renders, the requests go once. */
const studiesAsked = new Map<string, number>();

export const JSON_ACCEPT = 'application/dicom+json';

export function dicomwebRoot(sourceId: string): string {
  return `${window.location.origin}/dicom-web/${encodeURIComponent(sourceId)}`;
}

export function seriesListUrl(sourceId: string, studyUid: string): string {
  return `${dicomwebRoot(sourceId)}/studies/${studyUid}/series`;
}

export function seriesMetadataUrl(sourceId: string, studyUid: string, seriesUid: string): string {
  return `${dicomwebRoot(sourceId)}/studies/${studyUid}/series/${seriesUid}/metadata`;
}

function requestEarly(url: string): Promise<Response> {
  const pending = early.get(url);
  if (pending) return pending;
  const answer = fetch(url, { headers: { accept: JSON_ACCEPT }, credentials: 'same-origin' });
  early.set(url, answer);
  // Unclaimed: free it (and its body) later; a failure is the loader's to see when it asks itself.
  answer.catch(() => early.delete(url));
  setTimeout(() => {
    if (early.get(url) === answer) {
      early.delete(url);
      void answer.then((r) => r.body?.cancel()).catch(() => undefined);
    }
  }, KEEP_MS);
  return answer;
}

/** The early answer for `url`, once; undefined when none was requested (or it was taken). */
export function takeEarly(url: string): Promise<Response> | undefined {
  const answer = early.get(url);
  early.delete(url);
  return answer;
}

/** The series a reader starts with: the one with the most images (the same choice the panel makes). */
export function seriesShownFirst<T extends { instanceCount?: number }>(series: readonly T[]): T | undefined {
  return [...series].sort((a, b) => (b.instanceCount ?? 0) - (a.instanceCount ?? 0))[0];
}

/**
 * Requests `study`'s series list now, and the metadata of the series shown first: at once when the
 * record names it (`firstSeriesUid`), else as soon as the list is in. Measured: waiting for the
 * list put ≈ 100 ms (more when the main thread is busy mounting the panel) before the metadata.
 */
export function requestStudyEarly(sourceId: string, studyUid: string, firstSeriesUid?: string): void {
  const listUrl = seriesListUrl(sourceId, studyUid);
  const now = Date.now();
  if (now - (studiesAsked.get(listUrl) ?? -Infinity) < KEEP_MS) return;
  studiesAsked.set(listUrl, now);
  if (firstSeriesUid) requestEarly(seriesMetadataUrl(sourceId, studyUid, firstSeriesUid));
  void requestEarly(listUrl)
    .then(async (response) => {
      if (!response.ok) return;
      const parsed = DatasetsSchema.safeParse(await response.clone().json());
      if (!parsed.success) return;
      // Ordered as the loader orders them (by series number), so ties resolve the same way.
      const series = parsed.data
        .map((d) => ({
          seriesUid: text(d, TAGS.SeriesInstanceUID),
          number: integer(d, TAGS.SeriesNumber) ?? 1e9,
          instanceCount: integer(d, TAGS.NumberOfSeriesRelatedInstances),
        }))
        .sort((a, b) => a.number - b.number);
      const first = seriesShownFirst(series);
      if (first?.seriesUid) requestEarly(seriesMetadataUrl(sourceId, studyUid, first.seriesUid));
    })
    .catch(() => undefined);
}
