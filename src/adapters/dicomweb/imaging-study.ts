/**
 * A QIDO-RS study and its series as a FHIR R4 ImagingStudy, plus the Endpoint resource that
 * tells the viewer where the images are (the DICOMweb root, never credentials).
 */
import type { Coding, Endpoint, ImagingStudy, ImagingStudySeries } from '@medplum/fhirtypes';
import { dicomToFhirDateTime } from './dicom-datetime.ts';
import { TAG, integer, text, texts, type DicomJsonDataset } from './dicom-json.ts';
import { studyOrderFields } from './study-order.ts';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const SNOMED = 'http://snomed.info/sct';
const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** Body Part Examined (0018,0015) defined terms → SNOMED CT (PS3.16 Annex L); others keep their text. */
const BODY_PARTS: Record<string, { code: string; display: string }> = {
  ABDOMEN: { code: '818981001', display: 'Abdomen' },
  BRAIN: { code: '12738006', display: 'Brain' },
  CHEST: { code: '816094009', display: 'Thorax' },
  HEAD: { code: '69536005', display: 'Head' },
  HEART: { code: '80891009', display: 'Heart' },
  KNEE: { code: '72696002', display: 'Knee' },
  LIVER: { code: '10200004', display: 'Liver' },
  NECK: { code: '45048000', display: 'Neck' },
  PELVIS: { code: '816092008', display: 'Pelvis' },
  SPINE: { code: '421060004', display: 'Spine' },
  CSPINE: { code: '122494005', display: 'Cervical spine' },
  LSPINE: { code: '122496007', display: 'Lumbar spine' },
  WHOLEBODY: { code: '38266002', display: 'Entire body as a whole' },
  BREAST: { code: '76752008', display: 'Breast' },
};

export function bodySiteCoding(bodyPart: string | undefined): Coding | undefined {
  if (!bodyPart) return undefined;
  const known = BODY_PARTS[bodyPart.toUpperCase().replace(/\s+/g, '')];
  return known ? { system: SNOMED, code: known.code, display: known.display } : { display: bodyPart };
}

export function modalityCoding(code: string): Coding {
  return { system: DCM, code };
}

export function endpointId(sourceId: string): string {
  return `${sourceId}-dicomweb`;
}

export function dicomwebEndpoint(sourceId: string, sourceName: string, baseUrl: string): Endpoint {
  return {
    resourceType: 'Endpoint',
    id: endpointId(sourceId),
    status: 'active',
    name: sourceName,
    connectionType: {
      system: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type',
      code: 'dicom-wado-rs',
      display: 'DICOM WADO-RS',
    },
    payloadType: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/endpoint-payload-type', code: 'DICOM', display: 'DICOM' }] }],
    payloadMimeType: ['application/dicom', 'application/dicom+json', 'application/octet-stream'],
    address: baseUrl,
  };
}

export interface StudyContext {
  sourceId: string;
  patientReference: { reference: string; display?: string };
  /** Source's configured UTC offset for images without TimezoneOffsetFromUTC. */
  timezoneOffset?: string;
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function mapSeries(series: DicomJsonDataset, studyOffset: string | undefined): ImagingStudySeries | undefined {
  const uid = text(series, TAG.SeriesInstanceUID);
  if (!uid) return undefined;
  const out: ImagingStudySeries = { uid, modality: modalityCoding(text(series, TAG.Modality) ?? 'OT') };
  const number = integer(series, TAG.SeriesNumber);
  if (number !== undefined && number >= 0) out.number = number;
  const description = text(series, TAG.SeriesDescription);
  if (description) out.description = description;
  const count = integer(series, TAG.NumberOfSeriesRelatedInstances);
  if (count !== undefined && count >= 0) out.numberOfInstances = count;
  const bodySite = bodySiteCoding(text(series, TAG.BodyPartExamined));
  if (bodySite) out.bodySite = bodySite;
  const started = dicomToFhirDateTime(
    text(series, TAG.SeriesDate),
    text(series, TAG.SeriesTime),
    text(series, TAG.TimezoneOffsetFromUTC) ?? studyOffset,
  );
  if (started) out.started = started;
  return out;
}

/** undefined for a study without a StudyInstanceUID (nothing could ever retrieve it). */
export function toImagingStudy(
  study: DicomJsonDataset,
  seriesList: readonly DicomJsonDataset[],
  ctx: StudyContext,
): ImagingStudy | undefined {
  const uid = text(study, TAG.StudyInstanceUID);
  if (!uid) return undefined;
  const offset = text(study, TAG.TimezoneOffsetFromUTC) ?? ctx.timezoneOffset;
  const series = seriesList
    .map((s) => mapSeries(s, offset))
    .filter((s): s is ImagingStudySeries => s !== undefined)
    .sort((a, b) => (a.number ?? Number.MAX_SAFE_INTEGER) - (b.number ?? Number.MAX_SAFE_INTEGER));

  const resource: ImagingStudy = {
    resourceType: 'ImagingStudy',
    status: 'available',
    identifier: [{ system: 'urn:dicom:uid', value: `urn:oid:${uid}` }],
    subject: ctx.patientReference,
    endpoint: [{ reference: `Endpoint/${endpointId(ctx.sourceId)}` }],
  };
  // UIDs are digits and dots of at most 64 characters: already a valid FHIR id.
  if (FHIR_ID.test(uid)) resource.id = uid;
  const accession = text(study, TAG.AccessionNumber);
  if (accession)
    resource.identifier?.push({ type: { coding: [{ system: V2_0203, code: 'ACSN' }], text: 'Accession number' }, value: accession });

  const started = dicomToFhirDateTime(text(study, TAG.StudyDate), text(study, TAG.StudyTime), offset);
  if (started) resource.started = started;
  // ModalitiesInStudy when the server gives it, else what the series say.
  const modalities = new Set([...texts(study, TAG.ModalitiesInStudy), ...series.map((s) => s.modality.code ?? '')].filter(Boolean));
  if (modalities.size > 0) resource.modality = [...modalities].map(modalityCoding);
  const description = text(study, TAG.StudyDescription);
  if (description) resource.description = description;
  const procedure = text(study, TAG.RequestedProcedureDescription);
  if (procedure) resource.procedureCode = [{ text: procedure }];
  // The order's words as the modality copied them from the worklist: the last place a reader finds why.
  Object.assign(resource, studyOrderFields(study, seriesList));

  const seriesCount = integer(study, TAG.NumberOfStudyRelatedSeries) ?? (series.length > 0 ? series.length : undefined);
  if (seriesCount !== undefined) resource.numberOfSeries = seriesCount;
  const seriesInstanceSum =
    series.every((s) => s.numberOfInstances !== undefined) && series.length > 0
      ? series.reduce((n, s) => n + (s.numberOfInstances ?? 0), 0)
      : undefined;
  const instanceCount = integer(study, TAG.NumberOfStudyRelatedInstances) ?? seriesInstanceSum;
  if (instanceCount !== undefined) resource.numberOfInstances = instanceCount;
  if (series.length > 0) resource.series = series;
  return resource;
}

/**
 * Every Study Instance UID an ImagingStudy names: its id (as this adapter sets it) and its
 * identifiers (`urn:oid:` stripped), so studies from other FHIR sources are found too.
 */
export function studyInstanceUidsOf(resource: { id?: string; identifier?: { value?: string }[] }): string[] {
  const uids: string[] = [];
  if (resource.id) uids.push(resource.id);
  for (const identifier of resource.identifier ?? []) {
    const uid = identifier.value?.replace(/^urn:oid:/, '');
    if (uid) uids.push(uid);
  }
  return uids;
}
