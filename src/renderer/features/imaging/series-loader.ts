/**
 * Loads what the viewer needs from the app's own DICOMweb endpoint (/dicom-web/<sourceId>,
 * same origin under both hosts): a study's series, and each series' instance metadata, which
 * is handed to Cornerstone's WADO-RS metadata manager so frames need no second metadata trip.
 */
import { wadors } from '@cornerstonejs/dicom-image-loader';
import { DatasetsSchema, TAGS, integer, numbers, text, type Dataset } from './dicom-json.ts';
import { JSON_ACCEPT, dicomwebRoot, seriesListUrl, seriesMetadataUrl, takeEarly } from './early-requests.ts';
import { registerSeriesFrames } from './frame-fetch.ts';
import { failureOfAnswer, type ImagingFailure } from './imaging-failure.ts';
import { completeForLoader } from './pixel-fixes.ts';

export interface SeriesSummary {
  seriesUid: string;
  number?: number;
  modality: string;
  description: string;
  instanceCount?: number;
}

export interface LoadedSeries extends SeriesSummary {
  /** wadors: image ids in anatomical order (one per frame). */
  imageIds: string[];
  /** The instance dataset behind each image id, same order (overlay, orientation). */
  datasets: Dataset[];
}

/** A failed metadata request, carrying what went wrong as data for the panel to word. */
export class ImagingLoadError extends Error {
  readonly failure: ImagingFailure;
  constructor(failure: ImagingFailure) {
    super(failure.code);
    this.name = 'ImagingLoadError';
    this.failure = failure;
  }
}

async function getJson(url: string, signal?: AbortSignal): Promise<Dataset[]> {
  let response: Response;
  try {
    // Asked already when the imaging tab opened (early-requests.ts), or asked now.
    response = await (takeEarly(url) ?? fetch(url, { headers: { accept: JSON_ACCEPT }, signal, credentials: 'same-origin' }));
    signal?.throwIfAborted();
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ImagingLoadError({ code: 'no-answer' });
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new ImagingLoadError(failureOfAnswer(response.status, (name) => response.headers.get(name)));
  }
  const parsed = DatasetsSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new ImagingLoadError({ code: 'pacs-malformed', status: response.status });
  return parsed.data;
}

export async function listSeries(sourceId: string, studyUid: string, signal?: AbortSignal): Promise<SeriesSummary[]> {
  const datasets = await getJson(seriesListUrl(sourceId, studyUid), signal);
  return datasets
    .map((d): SeriesSummary | undefined => {
      const seriesUid = text(d, TAGS.SeriesInstanceUID);
      if (!seriesUid) return undefined;
      const number = integer(d, TAGS.SeriesNumber);
      const instanceCount = integer(d, TAGS.NumberOfSeriesRelatedInstances);
      return {
        seriesUid,
        ...(number !== undefined ? { number } : {}),
        ...(instanceCount !== undefined ? { instanceCount } : {}),
        modality: text(d, TAGS.Modality) ?? 'OT',
        description: text(d, TAGS.SeriesDescription) ?? '',
      };
    })
    .filter((s): s is SeriesSummary => s !== undefined)
    .sort((a, b) => (a.number ?? 1e9) - (b.number ?? 1e9));
}

/** Distance along the slice normal, so slices sort head-to-foot whatever the instance numbers say. */
function slicePosition(d: Dataset): number | undefined {
  const iop = numbers(d, TAGS.ImageOrientationPatient);
  const ipp = numbers(d, TAGS.ImagePositionPatient);
  if (iop.length !== 6 || ipp.length !== 3) return undefined;
  const [r0, r1, r2, c0, c1, c2] = iop as [number, number, number, number, number, number];
  const normal = [r1 * c2 - r2 * c1, r2 * c0 - r0 * c2, r0 * c1 - r1 * c0];
  return normal[0]! * ipp[0]! + normal[1]! * ipp[1]! + normal[2]! * ipp[2]!;
}

export function orderInstances(datasets: readonly Dataset[]): Dataset[] {
  const positions = datasets.map(slicePosition);
  const byPosition = positions.every((p) => p !== undefined) && new Set(positions).size === positions.length;
  return datasets
    .map((d, i) => ({ d, key: byPosition ? -positions[i]! : (integer(d, TAGS.InstanceNumber) ?? i) }))
    .sort((a, b) => a.key - b.key)
    .map(({ d }) => d);
}

export async function loadSeries(sourceId: string, studyUid: string, summary: SeriesSummary, signal?: AbortSignal): Promise<LoadedSeries> {
  const root = dicomwebRoot(sourceId);
  const datasets = orderInstances(await getJson(seriesMetadataUrl(sourceId, studyUid, summary.seriesUid), signal));
  const imageIds: string[] = [];
  const perImage: Dataset[] = [];
  for (const d of datasets) {
    const sop = text(d, TAGS.SOPInstanceUID);
    if (!sop || !integer(d, TAGS.Rows)) continue;
    const frames = Math.max(1, integer(d, TAGS.NumberOfFrames) ?? 1);
    const base = `wadors:${root}/studies/${studyUid}/series/${summary.seriesUid}/instances/${sop}/frames/`;
    // Multi-frame instances: the loader derives frame n's metadata from frame 1's.
    wadors.metaDataManager.add(`${base}1`, completeForLoader(d) as Parameters<typeof wadors.metaDataManager.add>[1]);
    for (let f = 1; f <= frames; f++) {
      imageIds.push(`${base}${f}`);
      perImage.push(d);
    }
  }
  // Its prefetched frames can then be asked for in batches when the proxy's cache holds them.
  registerSeriesFrames(imageIds.map((id) => id.slice('wadors:'.length)));
  return { ...summary, imageIds, datasets: perImage };
}
