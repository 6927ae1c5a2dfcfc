import type { LinkDecisionView } from '../../../shared/api/contract.ts';
import type { HuizhenApi } from '../../../shared/api/client.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';

type LinkApi = Pick<HuizhenApi, 'confirmLink' | 'unlinkPatients'>;

export const sameRef = (x: SourcePatientRef, y: SourcePatientRef) => x.sourceId === y.sourceId && x.sourcePatientId === y.sourcePatientId;

/**
 * Takes one system record out of the patient: unlinked from every other record of the candidate,
 * since a single remaining link (even through a third record) would pull it back in.
 */
export async function unlinkFromCandidate(api: LinkApi, candidate: PatientCandidate, ref: SourcePatientRef, note: string): Promise<void> {
  for (const other of candidate.refs.filter((r) => !sameRef(r, ref))) {
    await api.unlinkPatients({ a: ref, b: other, ...(note ? { note } : {}) });
  }
}

/** Confirms every pair: a group is only certain when no two of its records are left in doubt. */
export async function confirmCandidate(api: LinkApi, candidate: PatientCandidate, note: string): Promise<void> {
  const refs = candidate.refs;
  for (let i = 0; i < refs.length; i++) {
    for (let j = i + 1; j < refs.length; j++) await api.confirmLink({ a: refs[i]!, b: refs[j]!, ...(note ? { note } : {}) });
  }
}

/** Undoes earlier unlinks by confirming those same pairs. */
export async function relink(api: LinkApi, decisions: readonly LinkDecisionView[], note: string): Promise<void> {
  for (const d of decisions) await api.confirmLink({ a: d.a, b: d.b, ...(note ? { note } : {}) });
}

/** Another record unlinked from this candidate, with the decisions that did it. */
export interface UnlinkedRecord {
  ref: SourcePatientRef;
  decisions: LinkDecisionView[];
}

export function unlinkedRecords(candidate: PatientCandidate, decisions: readonly LinkDecisionView[]): UnlinkedRecord[] {
  const byRef = new Map<string, UnlinkedRecord>();
  for (const d of decisions) {
    if (d.verdict !== 'unlinked') continue;
    const inA = candidate.refs.some((r) => sameRef(r, d.a));
    const inB = candidate.refs.some((r) => sameRef(r, d.b));
    if (inA === inB) continue;
    const other = inA ? d.b : d.a;
    const key = `${other.sourceId}/${other.sourcePatientId}`;
    const entry = byRef.get(key) ?? { ref: other, decisions: [] };
    entry.decisions.push(d);
    byRef.set(key, entry);
  }
  return [...byRef.values()];
}
