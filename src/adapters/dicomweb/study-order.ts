/**
 * What the images themselves say about their order, for a study whose order reaches the
 * workstation no other way: a modality copies the worklist item into every image, so the PACS
 * holds the ordering doctor's words even where no RIS/HIS is connected.
 * - Reason for Study (0032,1030), retired but still written by many modalities, and Reason for
 *   the Requested Procedure (0040,1002), top level or inside the Request Attributes Sequence
 *   (0040,0275) of each series → ImagingStudy.reasonCode;
 * - Admitting Diagnoses Description (0008,1080) → ImagingStudy.note (what else is known, not why);
 * - Referring Physician's Name (0008,0090) → ImagingStudy.referrer;
 * - Requested Procedure Description (0032,1060) is read by imaging-study.ts as procedureCode.
 */
import type { Annotation, CodeableConcept, ImagingStudy } from '@medplum/fhirtypes';
import { personName, sequence, texts, type DicomJsonDataset } from './dicom-json.ts';

export const ORDER_TAG = {
  ReferringPhysicianName: '00080090',
  AdmittingDiagnosesDescription: '00081080',
  ReasonForStudy: '00321030',
  ReasonForTheRequestedProcedure: '00401002',
  RequestAttributesSequence: '00400275',
} as const;

/** Study-level attributes asked for in QIDO (0040,0275 is a series/instance attribute: read when a server returns it). */
export const ORDER_STUDY_FIELDS = [
  ORDER_TAG.ReferringPhysicianName,
  ORDER_TAG.AdmittingDiagnosesDescription,
  ORDER_TAG.ReasonForStudy,
  ORDER_TAG.ReasonForTheRequestedProcedure,
];

/** A PN as people read it: the ideographic group written together (王^伟 → 王伟), else "Given Family". */
function readableName(ds: DicomJsonDataset): string | undefined {
  const pn = personName(ds, ORDER_TAG.ReferringPhysicianName);
  if (!pn) return undefined;
  if (pn.ideographic) return pn.ideographic.replace(/\^/g, '');
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = (pn.alphabetic ?? pn.phonetic ?? '').split('^');
  return [prefix, given, middle, family, suffix].filter((p) => p.trim() !== '').join(' ') || undefined;
}

const unique = (list: readonly string[]): string[] => [...new Set(list)];

/** The order's words the study and its series carry, as ImagingStudy fields; empty when they carry none. */
export function studyOrderFields(
  study: DicomJsonDataset,
  seriesList: readonly DicomJsonDataset[],
): Pick<ImagingStudy, 'reasonCode' | 'note' | 'referrer'> {
  const requests = [study, ...seriesList].flatMap((ds) => sequence(ds, ORDER_TAG.RequestAttributesSequence));
  const reasons = unique([
    ...texts(study, ORDER_TAG.ReasonForStudy),
    ...texts(study, ORDER_TAG.ReasonForTheRequestedProcedure),
    ...requests.flatMap((r) => texts(r, ORDER_TAG.ReasonForTheRequestedProcedure)),
  ]);
  const diagnoses = unique(texts(study, ORDER_TAG.AdmittingDiagnosesDescription));
  const referrer = readableName(study);
  const reasonCode: CodeableConcept[] = reasons.map((text) => ({ text }));
  const note: Annotation[] = diagnoses.map((text) => ({ text }));
  const ref: ImagingStudy['referrer'] = referrer ? { display: referrer } : undefined;
  return {
    ...(reasonCode.length > 0 ? { reasonCode } : {}),
    ...(note.length > 0 ? { note } : {}),
    ...(ref ? { referrer: ref } : {}),
  };
}
