/**
 * Runs a fuzz target for a number of cases and counts what matters: inputs that made a reader
 * throw something other than its typed error, and inputs that took longer than the budget (a
 * push that freezes the workstation is a denial of service even when it ends in a typed error).
 */
import type { FuzzCase, FuzzTarget } from './fuzz-targets.ts';
import { caseSeed, seededRandom } from './random.ts';
import type { MutationLimits } from './xml-mutations.ts';

export interface FuzzOptions {
  cases: number;
  seed: number;
  limits: MutationLimits;
  /** A case slower than this is a finding (the issue's figure: 1 s). */
  budgetMs: number;
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
  /** The slowest path of any case, in CPU ms (note: "path: what was done"). */
  slowest: { caseNumber: number; ms: number; wallMs: number; note: string; bytes: number };
  largestBytes: number;
  totalMs: number;
}

/** What one case did: its slowest path and the first untyped error, if any. */
export interface CaseResult {
  caseNumber: number;
  note: string;
  bytes: number;
  /**
   * The slowest path's time (each path is one way a message is read), as CPU time of the reading
   * thread: on a busy machine wall time measures the neighbours; on a quiet one the two agree.
   */
  ms: number;
  /** Wall time of that path, for the record. */
  wallMs: number;
  path: string;
  /** Time in all paths together. */
  totalMs: number;
  untyped?: string;
}

const KEEP = 20;

function describe(error: unknown): string {
  if (error instanceof Error)
    return `${error.name}: ${error.message.slice(0, 200)}${
      error.stack
        ? ` @ ${error.stack
            .split('\n')
            .slice(1, 4)
            .map((l) => l.trim())
            .join(' < ')}`
        : ''
    }`;
  return `non-Error thrown: ${String(error).slice(0, 200)}`;
}

/** Case `n` of a run seeded `seed`: the same bytes every time. */
export function generateCase(target: FuzzTarget, seed: number, n: number, limits: MutationLimits): FuzzCase {
  return target.generate(seededRandom(caseSeed(seed, n)), limits);
}

/** CPU time of this thread, in ms: what a reader costs, whatever else the machine is doing. */
function threadCpuMs(): number {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

export function runCase(target: FuzzTarget, fuzzCase: FuzzCase, caseNumber: number): CaseResult {
  const result: CaseResult = { caseNumber, note: fuzzCase.note, bytes: fuzzCase.bytes.length, ms: 0, wallMs: 0, path: '', totalMs: 0 };
  for (const path of target.paths) {
    const cpuStart = threadCpuMs();
    const wallStart = performance.now();
    try {
      path.run(fuzzCase.bytes);
    } catch (error) {
      result.untyped ??= `${path.name}: ${describe(error)}`;
    }
    const took = threadCpuMs() - cpuStart;
    result.totalMs += took;
    if (took > result.ms) [result.ms, result.wallMs, result.path] = [took, performance.now() - wallStart, path.name];
  }
  return result;
}

/** Adds case results up into a report. */
export class FuzzTally {
  readonly report: FuzzReport;
  readonly #budgetMs: number;

  constructor(target: string, seed: number, budgetMs: number) {
    this.#budgetMs = budgetMs;
    this.report = {
      target,
      cases: 0,
      seed,
      untyped: 0,
      overBudget: 0,
      untypedFindings: [],
      overBudgetFindings: [],
      slowest: { caseNumber: -1, ms: 0, wallMs: 0, note: '', bytes: 0 },
      largestBytes: 0,
      totalMs: 0,
    };
  }

  add(c: CaseResult): void {
    const r = this.report;
    r.cases += 1;
    r.totalMs += c.totalMs;
    r.largestBytes = Math.max(r.largestBytes, c.bytes);
    if (c.ms > r.slowest.ms)
      r.slowest = { caseNumber: c.caseNumber, ms: c.ms, wallMs: c.wallMs, note: `${c.path}: ${c.note}`, bytes: c.bytes };
    if (c.untyped !== undefined) {
      r.untyped += 1;
      if (r.untypedFindings.length < KEEP)
        r.untypedFindings.push({ caseNumber: c.caseNumber, note: c.note, bytes: c.bytes, detail: c.untyped });
    }
    if (c.ms > this.#budgetMs) {
      r.overBudget += 1;
      if (r.overBudgetFindings.length < KEEP)
        r.overBudgetFindings.push({
          caseNumber: c.caseNumber,
          note: c.note,
          bytes: c.bytes,
          detail: `${Math.round(c.ms)} ms CPU (${Math.round(c.wallMs)} ms wall) in ${c.path}`,
        });
    }
  }
}

/** In this thread, one case after another (the bounded runs in `npm test`). */
export function runFuzz(target: FuzzTarget, options: FuzzOptions): FuzzReport {
  const tally = new FuzzTally(target.name, options.seed, options.budgetMs);
  for (let n = 0; n < options.cases; n++) tally.add(runCase(target, generateCase(target, options.seed, n, options.limits), n));
  return tally.report;
}

/** One line per figure, the findings below it. */
export function formatReport(r: FuzzReport): string {
  const lines = [
    `${r.target}: ${r.cases} cases (seed ${r.seed}), ${r.untyped} untyped errors, ${r.overBudget} over budget; slowest ${r.slowest.ms.toFixed(1)} ms CPU, ${r.slowest.wallMs.toFixed(0)} ms wall (case ${r.slowest.caseNumber}, ${r.slowest.bytes} bytes: ${r.slowest.note.slice(0, 160)}); largest input ${r.largestBytes} bytes; ${(r.totalMs / 1000).toFixed(1)} s CPU in readers`,
  ];
  for (const f of r.untypedFindings) lines.push(`  untyped  case ${f.caseNumber} (${f.bytes} bytes; ${f.note.slice(0, 160)}): ${f.detail}`);
  for (const f of r.overBudgetFindings)
    lines.push(`  slow     case ${f.caseNumber} (${f.bytes} bytes; ${f.note.slice(0, 160)}): ${f.detail}`);
  return lines.join('\n');
}
