/** Pairwise confusion counts of a clustering against the true persons, without enumerating pairs. */
export interface Confusion {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

const pairs = (n: number): number => (n * (n - 1)) / 2;

export function pairwiseConfusion(clusterOf: readonly number[], personOf: readonly number[]): Confusion {
  const byCluster = new Map<number, number>();
  const byPerson = new Map<number, number>();
  const byBoth = new Map<string, number>();
  for (let i = 0; i < clusterOf.length; i++) {
    byCluster.set(clusterOf[i]!, (byCluster.get(clusterOf[i]!) ?? 0) + 1);
    byPerson.set(personOf[i]!, (byPerson.get(personOf[i]!) ?? 0) + 1);
    const key = `${clusterOf[i]}|${personOf[i]}`;
    byBoth.set(key, (byBoth.get(key) ?? 0) + 1);
  }
  let tp = 0;
  for (const n of byBoth.values()) tp += pairs(n);
  let predicted = 0;
  for (const n of byCluster.values()) predicted += pairs(n);
  let actual = 0;
  for (const n of byPerson.values()) actual += pairs(n);
  const fp = predicted - tp;
  const fn = actual - tp;
  const precision = predicted === 0 ? 1 : tp / predicted;
  const recall = actual === 0 ? 1 : tp / actual;
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: pairs(clusterOf.length) - tp - fp - fn,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
  };
}
