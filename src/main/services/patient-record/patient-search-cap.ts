import type { PatientCandidate } from '../../../shared/domain/patient.ts';

export interface CappedCandidates {
  candidates: PatientCandidate[];
  /** More matched than are listed. */
  more: boolean;
}

/** The first `limit` candidates, and whether any were left out (the screen offers to show more). */
export function capCandidates(candidates: readonly PatientCandidate[], limit: number): CappedCandidates {
  return { candidates: candidates.slice(0, limit), more: candidates.length > limit };
}
