import type { Patient } from '@medplum/fhirtypes';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import { blockingKeys, NAME_ONLY } from './blocking.ts';
import { comparePatients, type PairComparison, type PairOutcome } from './compare-patients.ts';
import { DEFAULT_IDENTIFIER_POLICY, type IdentifierPolicy } from './identifier-kinds.ts';
import { refKey, type LinkDecision, type LinkDecisionStore } from './link-decisions.ts';
import { DEFAULT_THRESHOLDS, type Thresholds } from './match-weights.ts';
import { DeferredNumberSet } from './deferred-set.ts';
import { ExplainablePair, verdictOf } from './explainable-pair.ts';
import { createPairSet, type PairSet } from './pair-set.ts';
import { extractFeatures, type PatientFeatures } from './patient-features.ts';

export interface MatchRecord {
  ref: SourcePatientRef;
  patient: Patient;
}

export interface LinkOptions {
  thresholds?: Thresholds;
  policy?: IdentifierPolicy;
  decisions?: LinkDecisionStore;
  /**
   * Blocks larger than this are not expanded into pairs (a block of 5,000 would be 12.5 M
   * comparisons, e.g. every record born on a data-entry default date). Their records still meet
   * through their other keys; the skipped keys are reported.
   */
  maxBlockSize?: number;
}

/** A compared pair that is linked, possibly linked, or decided by a user. */
export interface ScoredPair {
  i: number;
  j: number;
  outcome: PairOutcome;
  comparison: PairComparison;
  decision?: LinkDecision;
}

export interface LinkResult {
  features: PatientFeatures[];
  /** Pairs whose outcome is linked or possible, every pair a user decided on, and every strong-identifier conflict. */
  pairs: ScoredPair[];
  /** Compared pairs the matcher did not link outright (possible or not linked), as i * features.length + j (i < j). */
  doubtful: Set<number>;
  comparisons: number;
  oversizedBlocks: string[];
}

/** Candidate pairs as two parallel lists (i < j), in the order blocking first meets them. */
interface Candidates {
  first: number[];
  second: number[];
}

function candidatePairs(
  features: readonly PatientFeatures[],
  maxBlockSize: number,
): { candidates: Candidates; oversized: string[]; seen: PairSet } {
  const blocks = new Map<string, number[]>();
  features.forEach((f, i) => {
    for (const key of blockingKeys(f)) {
      const block = blocks.get(key);
      if (block) block.push(i);
      else blocks.set(key, [i]);
    }
  });
  const seen = createPairSet(features.length * 8);
  const candidates: Candidates = { first: [], second: [] };
  const oversized: string[] = [];
  for (const [key, block] of blocks) {
    if (block.length < 2) continue;
    if (block.length > maxBlockSize && !key.startsWith(NAME_ONLY)) {
      oversized.push(key);
      continue;
    }
    const nameOnly = key.startsWith(NAME_ONLY);
    for (let x = 0; x < block.length; x++) {
      const undated = !features[block[x]!]!.birthDate;
      if (nameOnly && !undated) continue;
      for (let y = nameOnly ? 0 : x + 1; y < block.length; y++) {
        const a = block[x]!;
        const b = block[y]!;
        if (a === b) continue;
        const i = a < b ? a : b;
        const j = a < b ? b : a;
        if (!seen.add(i, j)) continue;
        candidates.first.push(i);
        candidates.second.push(j);
      }
    }
  }
  return { candidates, oversized, seen };
}

/** Blocks, compares and applies user decisions; clustering is a separate step (clusterRecords). */
export function linkRecords(records: readonly MatchRecord[], options: LinkOptions = {}): LinkResult {
  const policy = options.policy ?? DEFAULT_IDENTIFIER_POLICY;
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const features = records.map((r) => extractFeatures(r.patient, policy));
  const { candidates, oversized, seen } = candidatePairs(features, options.maxBlockSize ?? 2_000);

  const decided = new Map<string, LinkDecision>();
  if (options.decisions) {
    const index = new Map(records.map((r, i) => [refKey(r.ref), i]));
    records.forEach((r, i) => {
      for (const d of options.decisions!.involving(r.ref)) {
        const other = index.get(refKey(refKey(d.a) === refKey(r.ref) ? d.b : d.a));
        if (other === undefined || other === i) continue;
        const [x, y] = i < other ? [i, other] : [other, i];
        decided.set(`${x},${y}`, d);
      }
    });
  }
  // Decided pairs the blocking missed are compared too (the set blocking filled knows the rest).
  for (const key of decided.keys()) {
    const [x, y] = key.split(',').map(Number) as [number, number];
    if (!seen.add(x, y)) continue;
    candidates.first.push(x);
    candidates.second.push(y);
  }

  const pairs: ScoredPair[] = [];
  const doubtful: number[] = [];
  for (let k = 0; k < candidates.first.length; k++) {
    const i = candidates.first[k]!;
    const j = candidates.second[k]!;
    const quick = comparePatients(features[i]!, features[j]!, { thresholds, explain: false });
    const decision = decided.size > 0 ? decided.get(`${i},${j}`) : undefined;
    const outcome: PairOutcome = decision ? (decision.verdict === 'confirmed' ? 'linked' : 'not-linked') : quick.outcome;
    if (outcome !== 'not-linked' || decision || quick.conflict) {
      pairs.push(
        new ExplainablePair(i, j, outcome, decision, quick, () =>
          comparePatients(features[i]!, features[j]!, { thresholds, explain: true }),
        ),
      );
    }
    if (outcome !== 'linked') doubtful.push(i * records.length + j);
  }
  return { features, pairs, doubtful: new DeferredNumberSet(doubtful), comparisons: candidates.first.length, oversizedBlocks: oversized };
}

export interface Cluster {
  members: number[];
  /** The pairs that joined the members, strongest first. */
  edges: ScoredPair[];
  outcome: 'linked' | 'possible' | 'single';
  /**
   * Members joined only through others although, compared directly, they did not match outright
   * (A = B and B = C, but A ≠ C): the group then needs a clinician's confirmation.
   */
  inconsistent: Array<[number, number]>;
}

function edgeRank(p: ScoredPair): number {
  if (p.decision?.verdict === 'confirmed') return 0;
  if (p.outcome === 'linked' && verdictOf(p).deterministic) return 1;
  return p.outcome === 'linked' ? 2 : 3;
}

/**
 * Groups records into people: strongest pairs first, and never across a user's "unlink" or two
 * different valid strong identifiers (even when a chain of other links would connect them).
 */
export function clusterRecords(
  count: number,
  pairs: readonly ScoredPair[],
  include: 'linked' | 'linked-or-possible' = 'linked-or-possible',
  doubtful: ReadonlySet<number> = new Set(),
): Cluster[] {
  const parent = Array.from({ length: count }, (_, i) => i);
  const members = new Map<number, number[]>();
  const edges = new Map<number, ScoredPair[]>();
  const forbidden = new Map<number, Set<number>>();
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (const p of pairs) {
    const cannotLink = p.decision ? p.decision.verdict === 'unlinked' : Boolean(verdictOf(p).conflict);
    if (!cannotLink) continue;
    forbidden.set(p.i, (forbidden.get(p.i) ?? new Set()).add(p.j));
    forbidden.set(p.j, (forbidden.get(p.j) ?? new Set()).add(p.i));
  }
  const usable = pairs
    .filter((p) => p.outcome === 'linked' || (p.outcome === 'possible' && include === 'linked-or-possible'))
    .sort((x, y) => edgeRank(x) - edgeRank(y) || verdictOf(y).score - verdictOf(x).score || x.i - y.i || x.j - y.j);
  for (const p of usable) {
    let a = find(p.i);
    let b = find(p.j);
    if (a === b) continue;
    const ma = members.get(a) ?? [a];
    const mb = members.get(b) ?? [b];
    const clash = ma.some((m) => {
      const others = forbidden.get(m);
      if (others) for (const o of others) if (find(o) === b) return true;
      return false;
    });
    if (clash) continue;
    if (ma.length < mb.length) [a, b] = [b, a];
    parent[b] = a;
    members.set(a, [...(members.get(a) ?? [a]), ...(members.get(b) ?? [b])]);
    members.delete(b);
    edges.set(a, [...(edges.get(a) ?? []), ...(edges.get(b) ?? []), p]);
    edges.delete(b);
  }
  const clusters: Cluster[] = [];
  for (let i = 0; i < count; i++) {
    if (find(i) !== i) continue;
    const m = (members.get(i) ?? [i]).sort((x, y) => x - y);
    const e = (edges.get(i) ?? []).sort((x, y) => edgeRank(x) - edgeRank(y) || verdictOf(y).score - verdictOf(x).score);
    const inconsistent: Array<[number, number]> = [];
    const joined = new Set(e.map((x) => x.i * count + x.j));
    for (let x = 0; x < m.length; x++) {
      for (let y = x + 1; y < m.length; y++) {
        const id = m[x]! * count + m[y]!;
        if (doubtful.has(id) && !joined.has(id)) inconsistent.push([m[x]!, m[y]!]);
      }
    }
    const allLinked = e.every((x) => x.outcome === 'linked') && inconsistent.length === 0;
    clusters.push({ members: m, edges: e, inconsistent, outcome: m.length === 1 ? 'single' : allLinked ? 'linked' : 'possible' });
  }
  return clusters.sort((x, y) => x.members[0]! - y.members[0]!);
}
