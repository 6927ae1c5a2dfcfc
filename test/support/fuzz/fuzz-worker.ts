/**
 * A fuzz run in a worker thread, so the runner can stop a case that hangs (synchronous code
 * cannot be interrupted in its own thread): it announces each case before running it and
 * reports it after. The runner terminates the worker when a case overstays, and starts a new
 * one at the next case.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FUZZ_TARGETS, type FuzzTargetName } from './fuzz-targets.ts';
import { generateCase, runCase } from './run-fuzz.ts';

export interface FuzzWorkerData {
  target: FuzzTargetName;
  seed: number;
  from: number;
  to: number;
  maxGrowth: number;
}

export type FuzzWorkerMessage =
  | { type: 'start'; caseNumber: number; note: string; bytes: number }
  | { type: 'done'; result: ReturnType<typeof runCase> }
  | { type: 'end' };

const data = workerData as FuzzWorkerData;
const port = parentPort!;
const target = FUZZ_TARGETS[data.target]();
for (let n = data.from; n < data.to; n++) {
  const fuzzCase = generateCase(target, data.seed, n, { maxGrowth: data.maxGrowth });
  port.postMessage({ type: 'start', caseNumber: n, note: fuzzCase.note, bytes: fuzzCase.bytes.length } satisfies FuzzWorkerMessage);
  port.postMessage({ type: 'done', result: runCase(target, fuzzCase, n) } satisfies FuzzWorkerMessage);
}
port.postMessage({ type: 'end' } satisfies FuzzWorkerMessage);
