/**
 * The studies the viewer can open, derived from the timeline's imaging entries (FHIR
 * ImagingStudy). Pure: no Cornerstone, no DOM, so the timeline and tests can use it.
 */
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { seriesShownFirst } from './early-requests.ts';

export interface ImagingStudyRef {
  studyUid: string;
  /** The DICOMweb source; images load from the app's own endpoint /dicom-web/<sourceId>. */
  sourceId: string;
  description: string;
  /** ISO 8601, when known. */
  started?: string;
  /** DICOM modality codes, e.g. ["CT"]. */
  modalities: string[];
  /** The series' body parts (SNOMED code, else BodyPartExamined upper-cased), for finding comparable priors. */
  bodyParts?: string[];
  /**
   * The series the viewer shows first, as the record lists the study's series (the same DICOMweb
   * series list, read when the record was merged): its metadata is asked for with the series list
   * instead of after it. The viewer still chooses from the list it receives.
   */
  firstSeriesUid?: string;
}

const UID = /^[0-9]+(\.[0-9]+)*$/;

interface ImagingStudyLike {
  resourceType?: unknown;
  identifier?: { system?: unknown; value?: unknown }[];
  id?: unknown;
  started?: unknown;
  description?: unknown;
  modality?: { code?: unknown }[];
  series?: {
    uid?: unknown;
    number?: unknown;
    numberOfInstances?: unknown;
    modality?: { code?: unknown };
    bodySite?: { code?: unknown; display?: unknown };
  }[];
}

function studyUidOf(study: ImagingStudyLike): string | undefined {
  for (const id of study.identifier ?? []) {
    if (id.system === 'urn:dicom:uid' && typeof id.value === 'string') {
      const uid = id.value.replace(/^urn:oid:/, '');
      if (UID.test(uid) && uid.length <= 64) return uid;
    }
  }
  return typeof study.id === 'string' && UID.test(study.id) && study.id.length <= 64 ? study.id : undefined;
}

function modalitiesOf(study: ImagingStudyLike): string[] {
  const codes = [...(study.modality ?? []).map((m) => m.code), ...(study.series ?? []).map((s) => s.modality?.code)];
  return [...new Set(codes.filter((c): c is string => typeof c === 'string' && c.length > 0))];
}

function bodyPartsOf(study: ImagingStudyLike): string[] {
  const parts = (study.series ?? []).map((s) => {
    const site = s.bodySite;
    if (typeof site?.code === 'string' && site.code) return site.code;
    return typeof site?.display === 'string' && site.display ? site.display.toUpperCase() : undefined;
  });
  return [...new Set(parts.filter((p): p is string => p !== undefined))];
}

const count = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined);

/** Ordered and chosen as the viewer orders and chooses the series it lists (series-loader.ts, use-study-series.ts). */
function firstSeriesOf(study: ImagingStudyLike): string | undefined {
  const series = (study.series ?? [])
    .filter((s) => typeof s.uid === 'string' && UID.test(s.uid) && s.uid.length <= 64)
    .map((s) => ({ uid: s.uid as string, number: count(s.number) ?? 1e9, instanceCount: count(s.numberOfInstances) }))
    .sort((a, b) => a.number - b.number);
  return seriesShownFirst(series)?.uid;
}

/**
 * One ref per DICOMweb study, newest first. An entry merged from several sources keeps the
 * first DICOMweb provenance; entries without a Study Instance UID cannot be retrieved and are
 * left out.
 */
export function imagingStudyRefs(entries: readonly TimelineEntry[]): ImagingStudyRef[] {
  const refs = new Map<string, ImagingStudyRef>();
  for (const entry of entries) {
    if (entry.kind !== 'imaging') continue;
    const study = entry.resource as ImagingStudyLike;
    if (study.resourceType !== 'ImagingStudy') continue;
    const studyUid = studyUidOf(study);
    const provenance = entry.provenance.find((p) => p.sourceKind === 'dicomweb') ?? entry.provenance[0];
    if (!studyUid || !provenance || refs.has(studyUid)) continue;
    const started = typeof study.started === 'string' ? study.started : entry.clinicalTime;
    const bodyParts = bodyPartsOf(study);
    const firstSeriesUid = firstSeriesOf(study);
    refs.set(studyUid, {
      studyUid,
      sourceId: provenance.sourceId,
      description: typeof study.description === 'string' && study.description ? study.description : entry.title,
      ...(started ? { started } : {}),
      modalities: modalitiesOf(study),
      ...(bodyParts.length > 0 ? { bodyParts } : {}),
      ...(firstSeriesUid ? { firstSeriesUid } : {}),
    });
  }
  return [...refs.values()].sort((a, b) => (b.started ?? '').localeCompare(a.started ?? ''));
}

/** Earlier studies sharing a modality with `current`, most recent first. */
export function priorStudies(current: ImagingStudyRef, all: readonly ImagingStudyRef[]): ImagingStudyRef[] {
  return all
    .filter((s) => s.studyUid !== current.studyUid && s.modalities.some((m) => current.modalities.includes(m)))
    .filter((s) => !current.started || !s.started || s.started < current.started)
    .sort((a, b) => (b.started ?? '').localeCompare(a.started ?? ''));
}
