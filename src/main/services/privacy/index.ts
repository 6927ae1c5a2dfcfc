export { deidentifyTimeline } from './deidentify-timeline.ts';
export type { StudyInstanceInput } from './dicom/deidentify-study.ts';
export { writeDeidentifiedStudy, writeFileAtomic } from './dicom/write-export.ts';
export type { KnownIdentity } from './known-identity.ts';
export { maskCandidate } from './mask-candidate.ts';
export { maskDicomJson } from './mask-dicom-json.ts';
export { maskCandidateNationalIds, maskDicomJsonNationalIds, maskEntriesNationalIds } from './mask-national-ids.ts';
export { maskTimelineEntries } from './mask-timeline.ts';
