// npm run fuzz [-- --cases N] [--seed S] [--case N] [--max-growth BYTES] [--budget-ms MS] [hl7v2|hl7v3|cda ...]
// The long fuzz run of the three formats a hospital system can push (issue 13's figure:
// ≥ 100,000 cases each, 0 untyped errors, 0 cases over 1 s). `npm test` runs the same targets
// with a few thousand cases (test/unit/*/…-fuzz.test.ts). Exit 1 on any finding.
import { parseArgs } from 'node:util';
import { FUZZ_TARGETS, type FuzzTargetName } from '../test/support/fuzz/fuzz-targets.ts';
import { formatReport, runFuzz } from '../test/support/fuzz/run-fuzz.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    cases: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '13' },
    case: { type: 'string' },
    'max-growth': { type: 'string', default: String(1024 * 1024) },
    'budget-ms': { type: 'string', default: '1000' },
  },
});
const names = (positionals.length > 0 ? positionals : Object.keys(FUZZ_TARGETS)) as FuzzTargetName[];
const unknown = names.filter((n) => !(n in FUZZ_TARGETS));
if (unknown.length > 0) {
  console.error(`fuzz: unknown target ${unknown.join(', ')} (hl7v2, hl7v3, cda)`);
  process.exit(2);
}
const cases = Number(values.cases);
const progressEvery = Math.max(1000, Math.round(cases / 20));
let findings = 0;
console.log(`Huizhen fuzzing — Node ${process.version}, ${new Date().toISOString()}`);
for (const name of names) {
  const started = performance.now();
  const report = runFuzz(FUZZ_TARGETS[name](), {
    cases,
    seed: Number(values.seed),
    limits: { maxGrowth: Number(values['max-growth']) },
    budgetMs: Number(values['budget-ms']),
    ...(values.case !== undefined ? { only: Number(values.case) } : {}),
    progressEvery,
    onProgress: (done) => console.log(`  ${name}: ${done} cases, ${((performance.now() - started) / 1000).toFixed(0)} s`),
  });
  console.log(formatReport(report));
  findings += report.untyped + report.overBudget;
}
process.exitCode = findings > 0 ? 1 : 0;
