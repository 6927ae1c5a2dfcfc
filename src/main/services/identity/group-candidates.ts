import { createHash } from 'node:crypto';
import type { Identifier, Patient } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { LinkReason } from '../../../shared/domain/link-reasons.ts';
import type { PatientCandidate, PatientIdentifier } from '../../../shared/domain/patient.ts';
import { verdictReason } from './compare-patients.ts';
import { identifierLabel } from './identifier-kinds.ts';
import { identifierTypeCode } from './identifier-type.ts';
import { clusterRecords, linkRecords, type LinkOptions, type MatchRecord, type ScoredPair } from './link-records.ts';
import { DEFAULT_THRESHOLDS } from './match-weights.ts';
import { patientDisplayNames } from './patient-names.ts';

export type GroupOptions = LinkOptions;

function pairReason(edge: ScoredPair, records: readonly MatchRecord[], options: GroupOptions): LinkReason {
  const { comparison, decision } = edge;
  return {
    code: 'pair',
    a: records[edge.i]!.ref,
    b: records[edge.j]!.ref,
    ...(decision
      ? {
          decision: {
            verdict: decision.verdict,
            decidedBy: decision.decidedBy,
            decidedAt: decision.decidedAt,
            ...(decision.note ? { note: decision.note } : {}),
          },
        }
      : {}),
    verdict: verdictReason(comparison, options.thresholds ?? DEFAULT_THRESHOLDS),
    // A user's decision stands on its own: the matcher's detail would only argue with it.
    notes: decision ? [] : comparison.notes,
    evidence: decision ? [] : comparison.evidence.map((e) => e.reason),
  };
}

/**
 * Groups the patients that several systems returned for one search into people, using the
 * identity matcher: strong identifiers, then Fellegi–Sunter demographics, then the user's
 * confirm/unlink decisions on top. "possible" groups are shown for a clinician to confirm.
 */
export function groupCandidates(all: readonly SourcedResource<Patient>[], options: GroupOptions = {}): PatientCandidate[] {
  // A patient without an id cannot be opened again; adapters should never return one.
  const found = all.filter((p) => Boolean(p.resource.id));
  const records: MatchRecord[] = found.map((f) => ({
    ref: { sourceId: f.provenance.sourceId, sourcePatientId: f.resource.id! },
    patient: f.resource,
  }));
  const result = linkRecords(records, options);
  const clusters = clusterRecords(records.length, result.pairs, 'linked-or-possible', result.doubtful);

  return clusters.map((cluster) => {
    const items = cluster.members.map((i) => found[i]!);
    const primary = items[0]!.resource;
    const names = items.map((it) => patientDisplayNames(it.resource));
    const display = names[0]!.display;
    const otherNames = [...new Set(names.flatMap((n) => [n.display, ...n.others]))].filter((n) => n !== display);
    const identifiers: PatientIdentifier[] = items.flatMap((it) =>
      (it.resource.identifier ?? [])
        .filter((id): id is Identifier & { value: string } => Boolean(id.value))
        .map((id) => {
          const typeCode = identifierTypeCode(id);
          return {
            system: id.system,
            value: id.value,
            ...(typeCode ? { typeCode } : {}),
            label: identifierLabel(id),
            sourceId: it.provenance.sourceId,
          };
        }),
    );
    const refs = cluster.members.map((i) => records[i]!.ref);
    const reasons: LinkReason[] = [
      ...cluster.inconsistent.map(([x, y]): LinkReason => ({ code: 'indirect', a: records[x]!.ref, b: records[y]!.ref })),
      ...cluster.edges.map((e) => pairReason(e, records, options)),
    ];
    const score = cluster.edges.length > 0 ? Math.min(...cluster.edges.map((e) => e.comparison.score)) : undefined;
    return {
      key: createHash('sha256')
        .update(
          refs
            .map((r) => `${r.sourceId}/${r.sourcePatientId}`)
            .sort()
            .join('\n'),
        )
        .digest('hex')
        .slice(0, 16),
      displayName: display,
      otherNames,
      gender: primary.gender,
      birthDate: primary.birthDate,
      identifiers,
      refs,
      link: { outcome: cluster.outcome, ...(score === undefined ? {} : { score: Math.round(score * 10) / 10 }), reasons },
    };
  });
}
