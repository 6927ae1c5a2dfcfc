import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';

import type { MaskLevel } from '../../../shared/api/session.ts';

export type { MaskLevel };

/** What the access layer needs from the privacy service; pure functions that never mutate. */
export interface Masking {
  candidates(list: readonly PatientCandidate[], level: MaskLevel): PatientCandidate[];
  entries(list: readonly TimelineEntry[], level: MaskLevel): TimelineEntry[];
  /** An application/dicom+json body (QIDO/WADO metadata), for the viewer's overlay. */
  dicomJson(body: unknown, level: MaskLevel): unknown;
}
