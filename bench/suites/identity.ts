// Identity linking: precision/recall of the matcher against exact-identifier matching on a
// labelled, noisy evaluation set, and the time to link 100,000 candidate records.
import { evaluate } from '../identity-eval/evaluate.ts';
import { generateEvalSet } from '../identity-eval/generate-eval-set.ts';
import type { Confusion } from '../identity-eval/pairwise-metrics.ts';
import type { BenchSuite, Figure } from '../measure.ts';

const RECORDS = 100_000;
const SEED = 20_260_101;

function confusionLine(name: string, c: Confusion): string {
  return `  ${name.padEnd(24)} TP ${c.truePositives}  FP ${c.falsePositives}  FN ${c.falseNegatives}  TN ${c.trueNegatives}`;
}

export const identityLinking: BenchSuite = {
  name: 'identity linking (100,000 candidate records, labelled noisy set)',
  async run(): Promise<Figure[]> {
    const set = generateEvalSet({ seed: SEED, targetRecords: RECORDS });
    const n = set.records.length;
    const e = evaluate(set);
    console.log(
      `  ${n} records of ${set.persons} people (${set.twins} twins, ${set.commonNamed} with very common names); ${e.comparisons} pairs compared after blocking`,
    );
    console.log(confusionLine('matcher (linked):', e.matcher));
    console.log(confusionLine('baseline (exact id):', e.baseline));
    console.log(`  possible links left for a clinician: ${e.possible.pairs} pairs, ${e.possible.trueMatches} of them truly one person`);
    for (const [kind, r] of Object.entries(e.recallByNoise)) {
      console.log(
        `    ${kind.padEnd(20)} linked ${((100 * r.linked) / r.of).toFixed(1)}%  possible ${((100 * r.possible) / r.of).toFixed(1)}%  of ${r.of} true pairs`,
      );
    }
    const pct = (x: number): number => 100 * x;
    return [
      {
        name: 'precision, pairwise (linked outright)',
        value: pct(e.matcher.precision),
        unit: '%',
        baseline: { name: 'exact identifiers', value: pct(e.baseline.precision) },
        lowerIsBetter: false,
      },
      {
        name: 'recall, pairwise (linked outright)',
        value: pct(e.matcher.recall),
        unit: '%',
        baseline: { name: 'exact identifiers', value: pct(e.baseline.recall) },
        lowerIsBetter: false,
      },
      {
        name: 'F1',
        value: pct(e.matcher.f1),
        unit: '%',
        baseline: { name: 'exact identifiers', value: pct(e.baseline.f1) },
        lowerIsBetter: false,
      },
      {
        name: `link ${n.toLocaleString('en')} records (features, blocking, scoring, clustering)`,
        value: e.matcherMs,
        unit: 'ms',
        baseline: { name: 'exact identifiers', value: e.baselineMs },
      },
      { name: 'time per record', value: (1000 * e.matcherMs) / n, unit: 'µs' },
      { name: 'throughput', value: n / (e.matcherMs / 1000), unit: 'records/s' },
    ];
  },
};
