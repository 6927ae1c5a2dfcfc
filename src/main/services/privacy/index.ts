/** What the workstation, the DICOMweb proxy and the API wire: masking views and de-identified exports. */
export { maskPersonName, maskHumanName } from './mask-name.ts';
export { maskResidentId, maskIdentifierValue, maskIdentifier } from './mask-identifier.ts';
export { maskPhone, maskContactPoint } from './mask-phone.ts';
export { maskAddress, maskAddressText } from './mask-address.ts';
export { maskPatient } from './mask-patient.ts';
export { maskCandidate } from './mask-candidate.ts';
export { maskTimelineEntries, maskResourceText } from './mask-timeline.ts';
export { knownIdentityOfPatients, knownIdentityOfCandidate, mergeIdentities, EMPTY_IDENTITY, KnownIdentitySchema, type KnownIdentity } from './known-identity.ts';
export { createTextScrubber, type TextScrubber } from './scrub-text.ts';
export { maskDicomJson, maskDicomDataset, DicomJsonMaskError, type DicomJsonDataset } from './mask-dicom-json.ts';
export { deidentifyTimeline, type DeidentifyTimelineOptions } from './deidentify-timeline.ts';
export { deidentifyStudy, type DeidentifyOutcome, type DeidentifyStudyOptions, type StudyInstanceInput } from './dicom/deidentify-study.ts';
export { writeDeidentifiedStudy, type ExportReport } from './dicom/write-export.ts';
export { DicomDeidentifyError, type DeidentifyErrorCode } from './dicom/deidentify-error.ts';
