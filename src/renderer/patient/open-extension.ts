import type { PatientCandidate } from '../../shared/domain/patient.ts';
import type { SourcePatientRef } from '../../shared/domain/source.ts';

const refKey = (r: SourcePatientRef) => `${r.sourceId}\u0000${r.sourcePatientId}`;

/** One key for a set of records, whatever their order. */
export const refsKeyOf = (refs: readonly SourcePatientRef[]): string => refs.map(refKey).sort().join('\u0001');

/**
 * The search's candidate for the person already open, when it now names records the open does not hold.
 * Same person means a shared record (ref); a merely possible match is never added — main would refuse it anyway.
 */
export function extensionFor(candidates: readonly PatientCandidate[], opened: readonly SourcePatientRef[]): PatientCandidate | undefined {
  const have = new Set(opened.map(refKey));
  return candidates.find(
    (c) => c.link.outcome !== 'possible' && c.refs.some((r) => have.has(refKey(r))) && c.refs.some((r) => !have.has(refKey(r))),
  );
}

/** Whether the search's candidates still include the open person (so its pending systems concern them). */
export function concernsOpened(candidates: readonly PatientCandidate[], opened: readonly SourcePatientRef[]): boolean {
  const have = new Set(opened.map(refKey));
  return candidates.some((c) => c.refs.some((r) => have.has(refKey(r))));
}

/** The refs to open: the search's candidate's own (main knows that set), plus any the open held that it lacks. */
export function extendedRefs(opened: readonly SourcePatientRef[], candidate: PatientCandidate): SourcePatientRef[] {
  const have = new Set(candidate.refs.map(refKey));
  return [...candidate.refs.map((r) => ({ ...r })), ...opened.filter((r) => !have.has(refKey(r))).map((r) => ({ ...r }))];
}
