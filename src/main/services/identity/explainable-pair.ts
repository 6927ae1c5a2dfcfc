import type { LinkDecision } from './link-decisions.ts';
import type { PairComparison, PairOutcome } from './compare-patients.ts';
import type { ScoredPair } from './link-records.ts';

/** What clustering needs to know of a pair: never its explanation. */
export interface PairVerdict {
  score: number;
  deterministic?: unknown;
  conflict?: unknown;
}

/**
 * A scored pair whose explanation (the evidence a tooltip shows) is built when first read.
 * Linking 100,000 records keeps ~200,000 pairs, and only the few pairs a clinician looks at
 * are ever read: keeping every pair's evidence would hold most of the memory for nothing.
 * The score, outcome and flags are those of the same comparison without evidence, so
 * clustering never has to build one.
 */
export class ExplainablePair implements ScoredPair {
  readonly i: number;
  readonly j: number;
  readonly outcome: PairOutcome;
  readonly decision?: LinkDecision;
  readonly #verdict: PairVerdict;
  #explain: (() => PairComparison) | undefined;
  #comparison: PairComparison | undefined;

  constructor(
    i: number,
    j: number,
    outcome: PairOutcome,
    decision: LinkDecision | undefined,
    quick: PairComparison,
    explain: () => PairComparison,
  ) {
    this.i = i;
    this.j = j;
    this.outcome = outcome;
    this.decision = decision;
    this.#verdict = { score: quick.score, deterministic: quick.deterministic !== undefined, conflict: quick.conflict !== undefined };
    this.#explain = explain;
  }

  get comparison(): PairComparison {
    if (!this.#comparison) {
      this.#comparison = this.#explain!();
      this.#explain = undefined;
    }
    return this.#comparison;
  }

  get verdict(): PairVerdict {
    return this.#verdict;
  }

  /** Serialises like the plain object it stands for. */
  toJSON(): ScoredPair {
    return { i: this.i, j: this.j, outcome: this.outcome, decision: this.decision, comparison: this.comparison };
  }
}

export function verdictOf(pair: ScoredPair): PairVerdict {
  return pair instanceof ExplainablePair ? pair.verdict : pair.comparison;
}
