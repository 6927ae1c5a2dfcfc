// Fingerprints of everything the identity matcher returns for one labelled evaluation set, so a
// faster implementation can be held to exactly the old answers (linking-equivalence.test.ts).
// The expected fingerprints were taken from the implementation before the speed work.
import { createHash } from 'node:crypto';
import type { Patient } from '@medplum/fhirtypes';
import { generateEvalSet } from '../../../../../bench/identity-eval/generate-eval-set.ts';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { groupCandidates } from '../../../../../src/main/services/identity/group-candidates.ts';
import { clusterRecords, linkRecords, type ScoredPair } from '../../../../../src/main/services/identity/link-records.ts';

export const EVAL_SEED = 77;
export const EVAL_RECORDS = 2_000;

const digest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

// Spelled out so the fingerprint depends on the pairs' values, not on how the objects are built.
const plainPair = (p: ScoredPair) => ({ i: p.i, j: p.j, outcome: p.outcome, decision: p.decision, comparison: p.comparison });

export interface LinkingDigests {
  records: number;
  comparisons: number;
  pairs: number;
  pairDigest: string;
  doubtfulDigest: string;
  featureDigest: string;
  clusterDigest: string;
  oversized: string[];
  candidateGroups: number;
  candidateDigest: string;
}

export function linkingDigests(): LinkingDigests {
  const set = generateEvalSet({ seed: EVAL_SEED, targetRecords: EVAL_RECORDS });
  const records = set.records.map((r) => ({ ref: r.ref, patient: r.patient }));
  const result = linkRecords(records);
  const clusters = clusterRecords(records.length, result.pairs, 'linked-or-possible', result.doubtful);
  const found: SourcedResource<Patient>[] = set.records.slice(0, 600).map((r) => ({
    resource: { ...r.patient, id: r.ref.sourcePatientId },
    provenance: {
      sourceId: r.ref.sourceId,
      sourceName: r.ref.sourceId,
      sourceKind: 'fhir',
      nativeId: `Patient/${r.ref.sourcePatientId}`,
      fetchedAt: '2026-11-25T10:00:00Z',
    },
  }));
  const candidates = groupCandidates(found);
  return {
    records: records.length,
    comparisons: result.comparisons,
    pairs: result.pairs.length,
    pairDigest: digest(result.pairs.map(plainPair)),
    doubtfulDigest: digest([...result.doubtful].sort((a, b) => a - b)),
    featureDigest: digest(result.features),
    clusterDigest: digest(clusters.map((c) => ({ ...c, edges: c.edges.map(plainPair) }))),
    oversized: result.oversizedBlocks,
    candidateGroups: candidates.length,
    // The identifier type codes the renderer words came after the speed work: the linking answers are the rest.
    candidateDigest: digest(candidates.map((c) => ({ ...c, identifiers: c.identifiers.map(({ typeCode: _typeCode, ...id }) => id) }))),
  };
}
