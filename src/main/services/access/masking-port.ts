import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';

/**
 * How much of a patient's identity the screen may show: everything, identifiers masked (some
 * roles), or names, identifiers, phone and address masked (privacy mode).
 */
export type MaskLevel = 'none' | 'identifiers' | 'full';

/** What the access layer needs from the privacy service; pure functions that never mutate. */
export interface Masking {
  candidates(list: readonly PatientCandidate[], level: MaskLevel): PatientCandidate[];
  entries(list: readonly TimelineEntry[], level: MaskLevel): TimelineEntry[];
  /** An application/dicom+json body (QIDO/WADO metadata), for the viewer's overlay. */
  dicomJson(body: unknown, level: MaskLevel): unknown;
}
