import type { Patient } from '@medplum/fhirtypes';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import { refKey, type LinkDecisionStore } from './link-decisions.ts';
import { verdictOf } from './explainable-pair.ts';
import { clusterRecords, linkRecords, type MatchRecord } from './link-records.ts';

/** What the identity service knows about system records when asked whether they are one person. */
export interface PersonEvidence {
  /** The Patient a system returned for this record (from a search), if it has seen one. */
  patientOf(ref: SourcePatientRef): Patient | undefined;
  /** The user's confirm/unlink decisions: a confirmation links, an unlink separates. */
  decisions?: LinkDecisionStore;
  /** The identifier system under which this source's own patient ids appear in other systems' records (PIX, MPI). */
  idSystemOf(sourceId: string): string | undefined;
}

export type PersonVerdict =
  | { kind: 'one-person'; refs: SourcePatientRef[] }
  /** `strangers`: the refs not tied to the person the first ref names. */
  | { kind: 'not-one-person'; refs: SourcePatientRef[]; strangers: SourcePatientRef[] };

function unique(refs: readonly SourcePatientRef[]): SourcePatientRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => !seen.has(refKey(r)) && Boolean(seen.add(refKey(r))));
}

/** A user unlinked one of the person's records from some record of this system: no cross-reference into it counts. */
function unlinkedFromSystem(members: readonly SourcePatientRef[], sourceId: string, decisions: LinkDecisionStore | undefined): boolean {
  if (!decisions) return false;
  const own = new Set(members.map(refKey));
  return members.some((m) =>
    decisions
      .involving(m)
      .some((d) => d.verdict === 'unlinked' && [d.a, d.b].some((side) => side.sourceId === sourceId && !own.has(refKey(side)))),
  );
}

/**
 * Are these system records one person? Only what the identity service itself vouches for
 * counts: records the matcher links outright (strong identifiers, demographics above the
 * threshold, never a "possible" group) or a user confirmed, plus records a member's
 * cross-reference (PIX, MPI identifier) names. A record it has not seen, or one that is only
 * "possibly" the same, is a stranger. A single record is always one person.
 *
 * The person is the one the first ref names; every other ref must be tied to it.
 */
export function vouchOnePerson(requested: readonly SourcePatientRef[], evidence: PersonEvidence): PersonVerdict {
  const refs = unique(requested);
  if (refs.length <= 1) return { kind: 'one-person', refs };
  const anchor = refs[0]!;
  const records: MatchRecord[] = refs.flatMap((ref) => {
    const patient = evidence.patientOf(ref);
    return patient ? [{ ref, patient }] : [];
  });
  const members = new Set<string>([refKey(anchor)]);
  if (records.length > 0) {
    const linked = linkRecords(records, evidence.decisions ? { decisions: evidence.decisions } : {});
    // For access, a confirmation does not outweigh two different valid strong identifiers (身份证,
    // MPI): otherwise one click of "same person" would hand the confirming user another patient.
    const pairs = linked.pairs.filter((p) => !(p.decision?.verdict === 'confirmed' && verdictOf(p).conflict));
    const clusters = clusterRecords(records.length, pairs, 'linked', linked.doubtful);
    const home = clusters.find((c) => c.members.some((i) => refKey(records[i]!.ref) === refKey(anchor)));
    // A group joined only through others that do not match directly is not vouched for as a whole.
    if (home && home.outcome !== 'possible') for (const i of home.members) members.add(refKey(records[i]!.ref));
  }
  const memberRefs = refs.filter((r) => members.has(refKey(r)));
  const memberPatients = memberRefs.flatMap((r) => evidence.patientOf(r) ?? []);
  for (const ref of refs) {
    if (members.has(refKey(ref)) || evidence.patientOf(ref)) continue;
    const system = evidence.idSystemOf(ref.sourceId);
    const named =
      system !== undefined &&
      memberPatients.some((p) => (p.identifier ?? []).some((id) => id.system === system && id.value === ref.sourcePatientId));
    if (named && !unlinkedFromSystem(memberRefs, ref.sourceId, evidence.decisions)) members.add(refKey(ref));
  }
  const strangers = refs.filter((r) => !members.has(refKey(r)));
  return strangers.length === 0 ? { kind: 'one-person', refs } : { kind: 'not-one-person', refs, strangers };
}
