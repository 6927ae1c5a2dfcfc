/**
 * QIDO-RS searches used by the adapter, only with standard paths: studies, and a study's series
 * (study-scoped, which every server supports; Orthanc 404s /series/{uid}/instances without it).
 */
import type { DicomwebEndpoint } from './dicomweb-transport.ts';
import { qidoGet, type QueryPairs } from './qido-http.ts';
import { DicomJsonArraySchema, TAG, type DicomJsonDataset } from './dicom-json.ts';
import { protocolError } from './dicomweb-errors.ts';
import { ORDER_STUDY_FIELDS } from './study-order.ts';

/** Attributes asked for beyond the standard's default return keys (PS3.18 Table 6.7.1-2). */
export const STUDY_FIELDS = [
  TAG.StudyDescription,
  TAG.RequestedProcedureDescription,
  TAG.TimezoneOffsetFromUTC,
  TAG.IssuerOfPatientID,
  TAG.OtherPatientIDs,
  TAG.OtherPatientIDsSequence,
  TAG.NumberOfStudyRelatedSeries,
  TAG.NumberOfStudyRelatedInstances,
  TAG.ModalitiesInStudy,
  ...ORDER_STUDY_FIELDS,
];
export const SERIES_FIELDS = [
  TAG.SeriesDescription,
  TAG.BodyPartExamined,
  TAG.SeriesDate,
  TAG.SeriesTime,
  TAG.NumberOfSeriesRelatedInstances,
];

function parseDatasets(endpoint: DicomwebEndpoint, label: string, body: unknown): DicomJsonDataset[] {
  // A 204 arrives as [], an unparsable JSON body as null (xhr2's 'json' response type).
  const parsed = DicomJsonArraySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at [${issue.path.join('][')}]` : '';
    throw protocolError(
      { sourceId: endpoint.sourceId, sourceName: endpoint.sourceName, request: label },
      body === null
        ? 'answered with a body that is not DICOM JSON'
        : `answered with DICOM JSON that does not fit the model${where}: ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}

const includes = (fields: readonly string[]): QueryPairs => fields.map((f) => ['includefield', f] as const);

/** `query` gets STUDY_FIELDS added as repeated includefield keys. */
export async function searchStudies(endpoint: DicomwebEndpoint, query: QueryPairs, signal: AbortSignal): Promise<DicomJsonDataset[]> {
  const label = 'QIDO-RS GET studies';
  const body = await qidoGet(endpoint, 'studies', [...query, ...includes(STUDY_FIELDS)], label, signal);
  return parseDatasets(endpoint, label, body);
}

export async function searchSeries(endpoint: DicomwebEndpoint, studyInstanceUid: string, signal: AbortSignal): Promise<DicomJsonDataset[]> {
  const label = `QIDO-RS GET studies/${studyInstanceUid}/series`;
  const body = await qidoGet(endpoint, `studies/${encodeURIComponent(studyInstanceUid)}/series`, includes(SERIES_FIELDS), label, signal);
  return parseDatasets(endpoint, label, body);
}

export { parseDatasets };
