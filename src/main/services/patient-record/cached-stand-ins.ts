import type { Patient } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';

/**
 * Marks the parts of each candidate that came from the cache standing in for a system that did
 * not answer, with when each was fetched, so the list can say which patients are only known
 * from this workstation's copy — during the search and after it settles.
 */
export function markCachedParts(
  candidates: readonly PatientCandidate[],
  standIns: readonly SourcedResource<Patient>[],
): PatientCandidate[] {
  if (standIns.length === 0) return [...candidates];
  return candidates.map((candidate) => {
    const cached = candidate.refs.flatMap((ref) => {
      const part = standIns.find((p) => p.provenance.sourceId === ref.sourceId && p.resource.id === ref.sourcePatientId);
      return part ? [{ sourceId: ref.sourceId, fetchedAt: part.provenance.fetchedAt }] : [];
    });
    return cached.length > 0 ? { ...candidate, cached } : candidate;
  });
}
