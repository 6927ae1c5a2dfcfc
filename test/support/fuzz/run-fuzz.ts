/**
 * Runs a fuzz target for a number of cases and counts what matters: inputs that made a reader
 * throw something other than its typed error, and inputs that took longer than the budget (a
 * push that freezes the workstation is a denial of service even when it ends in a typed error).
 */
import type { FuzzTarget } from './fuzz-targets.ts';
import { caseSeed, seededRandom } from './random.ts';
import type { MutationLimits } from './xml-mutations.ts';

export interface FuzzOptions {
  cases: number;
  seed: number;
  limits: MutationLimits;
  /** A case slower than this is a finding (the issue's figure: 1 s). */
  budgetMs: number;
  /** Run only this case number (to reproduce a finding). */
  only?: number;
  /** Called every `progressEvery` cases with the cases done. */
  onProgress?: (done: number) => void;
  progressEvery?: number;
}

export interface FuzzFinding {
  caseNumber: number;
  note: string;
  bytes: number;
  /** The untyped error, or the time taken. */
  detail: string;
}

export interface FuzzReport {
  target: string;
  cases: number;
  seed: number;
  /** Cases whose reader threw something other than its typed error. */
  untyped: number;
  overBudget: number;
  /** The first findings of each kind (enough to reproduce; the counts are above). */
  untypedFindings: FuzzFinding[];
  overBudgetFindings: FuzzFinding[];
  /** The slowest path of any case (note: "path: what was done"). */
  slowest: { caseNumber: number; ms: number; note: string; bytes: number };
  largestBytes: number;
  totalMs: number;
}

const KEEP = 20;

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.slice(0, 200)}${error.stack ? ` @ ${error.stack.split('\n').slice(1, 4).map((l) => l.trim()).join(' < ')}` : ''}`;
  return `non-Error thrown: ${String(error).slice(0, 200)}`;
}

export function runFuzz(target: FuzzTarget, options: FuzzOptions): FuzzReport {
  const report: FuzzReport = {
    target: target.name,
    cases: 0,
    seed: options.seed,
    untyped: 0,
    overBudget: 0,
    untypedFindings: [],
    overBudgetFindings: [],
    slowest: { caseNumber: -1, ms: 0, note: '', bytes: 0 },
    largestBytes: 0,
    totalMs: 0,
  };
  const first = options.only ?? 0;
  const last = options.only !== undefined ? options.only + 1 : options.cases;
  for (let n = first; n < last; n++) {
    const { bytes, note } = target.generate(seededRandom(caseSeed(options.seed, n)), options.limits);
    report.largestBytes = Math.max(report.largestBytes, bytes.length);
    // The case's time is its slowest path: each is one way a message is read.
    let ms = 0;
    let failure: unknown;
    let failed = false;
    let slowPath = '';
    for (const path of target.paths) {
      const started = performance.now();
      try {
        path.run(bytes);
      } catch (error) {
        if (!failed) failure = error;
        failed = true;
      }
      const took = performance.now() - started;
      report.totalMs += took;
      if (took > ms) [ms, slowPath] = [took, path.name];
    }
    report.cases += 1;
    if (ms > report.slowest.ms) report.slowest = { caseNumber: n, ms, note: `${slowPath}: ${note}`, bytes: bytes.length };
    if (failed) {
      report.untyped += 1;
      if (report.untypedFindings.length < KEEP) report.untypedFindings.push({ caseNumber: n, note, bytes: bytes.length, detail: describe(failure) });
    }
    if (ms > options.budgetMs) {
      report.overBudget += 1;
      if (report.overBudgetFindings.length < KEEP) report.overBudgetFindings.push({ caseNumber: n, note, bytes: bytes.length, detail: `${Math.round(ms)} ms in ${slowPath}` });
    }
    if (options.onProgress && options.progressEvery && (n + 1) % options.progressEvery === 0) options.onProgress(n + 1);
  }
  return report;
}

/** One line per figure, the findings below it. */
export function formatReport(r: FuzzReport): string {
  const lines = [
    `${r.target}: ${r.cases} cases (seed ${r.seed}), ${r.untyped} untyped errors, ${r.overBudget} over budget; slowest ${r.slowest.ms.toFixed(1)} ms (case ${r.slowest.caseNumber}, ${r.slowest.bytes} bytes: ${r.slowest.note.slice(0, 160)}); largest input ${r.largestBytes} bytes; ${(r.totalMs / 1000).toFixed(1)} s in readers`,
  ];
  for (const f of r.untypedFindings) lines.push(`  untyped  case ${f.caseNumber} (${f.bytes} bytes; ${f.note.slice(0, 160)}): ${f.detail}`);
  for (const f of r.overBudgetFindings) lines.push(`  slow     case ${f.caseNumber} (${f.bytes} bytes; ${f.note.slice(0, 160)}): ${f.detail}`);
  return lines.join('\n');
}
