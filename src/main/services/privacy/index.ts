/**
 * Privacy: masking what a user may not see in full (privacy mode, roles) and de-identifying
 * exports. Other services use these; the maskers behind them stay inside.
 */
export { createPrivacyMasking, type Masking, type MaskLevel } from './masking.ts';
export { deidentifyTimeline } from './deidentify-timeline.ts';
export { writeDeidentifiedStudy, writeFileAtomic } from './dicom/write-export.ts';
export type { StudyInstanceInput } from './dicom/deidentify-study.ts';
export { createRefMasks, type RefMasks } from './ref-masks.ts';
