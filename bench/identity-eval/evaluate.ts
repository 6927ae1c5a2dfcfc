/** Runs the matcher and the baseline over an evaluation set and counts how they did. */
import { clusterRecords, linkRecords, type LinkResult } from '../../src/main/services/identity/link-records.ts';
import { exactIdentifierClusters } from './exact-identifier-baseline.ts';
import type { EvalSet, NoiseKind } from './generate-eval-set.ts';
import { pairwiseConfusion, type Confusion } from './pairwise-metrics.ts';

export interface Evaluation {
  matcher: Confusion;
  baseline: Confusion;
  matcherMs: number;
  baselineMs: number;
  comparisons: number;
  /** Pairs the matcher left for a clinician, and how many of them are truly one person. */
  possible: { pairs: number; trueMatches: number };
  /** Recall over true pairs where one record carries this noise (linked outright). */
  recallByNoise: Partial<Record<NoiseKind | 'twins-kept-apart', { linked: number; possible: number; of: number }>>;
}

export function evaluate(set: EvalSet): Evaluation {
  const records = set.records;
  const personOf = records.map((r) => r.personId);

  let t = performance.now();
  const result: LinkResult = linkRecords(records.map((r) => ({ ref: r.ref, patient: r.patient })));
  const clusters = clusterRecords(records.length, result.pairs, 'linked');
  const matcherMs = performance.now() - t;
  const clusterOf = new Array<number>(records.length);
  clusters.forEach((c, k) => c.members.forEach((m) => (clusterOf[m] = k)));

  t = performance.now();
  const baselineClusters = exactIdentifierClusters(records.map((r) => r.patient));
  const baselineMs = performance.now() - t;

  const possiblePairs = result.pairs.filter((p) => p.outcome === 'possible');
  const recallByNoise: Evaluation['recallByNoise'] = {};
  const byPerson = new Map<number, number[]>();
  records.forEach((r, i) => byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), i]));
  const outcomeOf = new Map(result.pairs.map((p) => [`${p.i},${p.j}`, p.outcome]));
  for (const members of byPerson.values()) {
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const [i, j] = [members[x]!, members[y]!];
        const linked = clusterOf[i] === clusterOf[j];
        const possible = !linked && outcomeOf.get(`${i},${j}`) === 'possible';
        for (const kind of new Set([...records[i]!.noise, ...records[j]!.noise])) {
          const bucket = (recallByNoise[kind] ??= { linked: 0, possible: 0, of: 0 });
          bucket.of++;
          if (linked) bucket.linked++;
          if (possible) bucket.possible++;
        }
      }
    }
  }
  return {
    matcher: pairwiseConfusion(clusterOf, personOf),
    baseline: pairwiseConfusion(baselineClusters, personOf),
    matcherMs,
    baselineMs,
    comparisons: result.comparisons,
    possible: { pairs: possiblePairs.length, trueMatches: possiblePairs.filter((p) => personOf[p.i] === personOf[p.j]).length },
    recallByNoise,
  };
}
