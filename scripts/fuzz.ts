// npm run fuzz [-- --cases N] [--seed S] [--from N] [--max-growth BYTES] [--budget-ms MS] [--kill-ms MS] [hl7v2|hl7v3|cda ...]
// The long fuzz run of the three formats a hospital system can push (issue 13's figure:
// ≥ 100,000 cases each, 0 untyped errors, 0 cases over 1 s). `npm test` runs the same targets
// with a few thousand cases (test/unit/adapters/*/*-fuzz.test.ts). Cases run in a worker thread: one that overstays
// --kill-ms (wall) is stopped and counted over budget, and the run goes on. Time is the reading
// thread's CPU time, so a busy machine does not count against a reader. Exit 1 on any finding;
// `--from N --cases 1` re-runs case N.
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { FUZZ_TARGETS, type FuzzTargetName } from '../test/support/fuzz/fuzz-targets.ts';
import type { FuzzWorkerData, FuzzWorkerMessage } from '../test/support/fuzz/fuzz-worker.ts';
import { formatReport, FuzzTally, type FuzzReport } from '../test/support/fuzz/run-fuzz.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    cases: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '13' },
    from: { type: 'string', default: '0' },
    'max-growth': { type: 'string', default: String(1024 * 1024) },
    'budget-ms': { type: 'string', default: '1000' },
    'kill-ms': { type: 'string', default: '30000' },
  },
});
const names = (positionals.length > 0 ? positionals : Object.keys(FUZZ_TARGETS)) as FuzzTargetName[];
const unknown = names.filter((n) => !(n in FUZZ_TARGETS));
if (unknown.length > 0) {
  console.error(`fuzz: unknown target ${unknown.join(', ')} (hl7v2, hl7v3, cda)`);
  process.exit(2);
}
const seed = Number(values.seed);
const from = Number(values.from);
const to = from + Number(values.cases);
const budgetMs = Number(values['budget-ms']);
const killMs = Number(values['kill-ms']);
const maxGrowth = Number(values['max-growth']);
const progressEvery = Math.max(500, Math.round((to - from) / 100));

/** Cases [start, to) of one target in a worker; resolves with the next case to run (to when done). */
function runWorker(target: FuzzTargetName, start: number, to: number, tally: FuzzTally, started: number): Promise<number> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('../test/support/fuzz/fuzz-worker.ts', import.meta.url), {
      workerData: { target, seed, from: start, to, maxGrowth } satisfies FuzzWorkerData,
    });
    let current: Extract<FuzzWorkerMessage, { type: 'start' }> | undefined;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (next: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(next);
    };
    worker.on('message', (message: FuzzWorkerMessage) => {
      if (message.type === 'start') {
        current = message;
        timer = setTimeout(() => {
          // Overstayed: counted at the kill time (it would have taken longer), then skipped.
          tally.add({
            caseNumber: message.caseNumber,
            note: message.note,
            bytes: message.bytes,
            ms: killMs,
            wallMs: killMs,
            path: `stopped after ${killMs} ms wall`,
            totalMs: killMs,
          });
          console.log(
            `  FINDING ${target} case ${message.caseNumber}: stopped after ${killMs} ms wall — ${message.bytes} bytes: ${message.note.slice(0, 200)}`,
          );
          void worker.terminate();
          finish(message.caseNumber + 1);
        }, killMs);
      } else if (message.type === 'done') {
        clearTimeout(timer);
        const before = tally.report.untyped + tally.report.overBudget;
        tally.add(message.result);
        // Findings as they happen: a long run that is stopped early still names them.
        if (tally.report.untyped + tally.report.overBudget > before) {
          const r = message.result;
          console.log(
            `  FINDING ${target} case ${r.caseNumber}: ${r.untyped ?? `${Math.round(r.ms)} ms CPU (${Math.round(r.wallMs)} ms wall) in ${r.path}`} — ${r.bytes} bytes: ${r.note.slice(0, 200)}`,
          );
        }
        current = undefined;
        const done = tally.report.cases;
        if (done % progressEvery === 0)
          console.log(
            `  ${target}: ${done} cases, ${tally.report.untyped} untyped, ${tally.report.overBudget} over budget, ${((performance.now() - started) / 1000).toFixed(0)} s`,
          );
      } else {
        finish(to);
      }
    });
    worker.on('error', (error) => {
      // A crash of the worker itself (out of memory…) is a finding for the case it was running.
      if (current)
        tally.add({
          caseNumber: current.caseNumber,
          note: current.note,
          bytes: current.bytes,
          ms: 0,
          wallMs: 0,
          path: 'worker',
          totalMs: 0,
          untyped: `worker died: ${error.message}`,
        });
      finish((current?.caseNumber ?? start) + 1);
    });
    worker.on('exit', () => finish(current ? current.caseNumber + 1 : to));
  });
}

// Stopped early (Ctrl+C, a deadline): the figures so far are still worth printing.
let running: { name: FuzzTargetName; tally: FuzzTally } | undefined;
const stopEarly = () => {
  if (running) console.log(`${formatReport(running.tally.report)}\n  ${running.name}: stopped early`);
  process.exit(1);
};
process.on('SIGINT', stopEarly);
process.on('SIGTERM', stopEarly);

console.log(
  `Huizhen fuzzing — Node ${process.version}, ${new Date().toISOString()}; cases ${from}–${to - 1}, seed ${seed}, inputs grown by up to ${maxGrowth} bytes, budget ${budgetMs} ms`,
);
const reports: FuzzReport[] = [];
for (const name of names) {
  const tally = new FuzzTally(name, seed, budgetMs);
  running = { name, tally };
  const started = performance.now();
  for (let next = from; next < to;) next = await runWorker(name, next, to, tally, started);
  console.log(formatReport(tally.report));
  console.log(`  ${name}: ${((performance.now() - started) / 1000).toFixed(0)} s wall`);
  // A busy machine makes cases slow that are not: each slow case found is run once more, alone.
  for (const slow of tally.report.overBudgetFindings) {
    const again = new FuzzTally(name, seed, budgetMs);
    await runWorker(name, slow.caseNumber, slow.caseNumber + 1, again, performance.now());
    console.log(
      `  re-run case ${slow.caseNumber}: ${Math.round(again.report.slowest.ms)} ms CPU${again.report.overBudget > 0 ? ' — still over budget' : ' — within budget alone'}`,
    );
  }
  reports.push(tally.report);
}
process.exitCode = reports.some((r) => r.untyped + r.overBudget > 0) ? 1 : 0;
