/**
 * The listener's side of the conversion worker: one worker thread that converts one job at a time,
 * each under a CPU-time budget (the worker's own thread CPU, so a busy machine does not count
 * against the message; a wall-clock cap of several budgets backs it up) and a heap budget
 * (resourceLimits). Several jobs are handed over at once (a bounded window): the worker starts the
 * next as soon as it answers one instead of waiting a round trip through a busy main thread, so on
 * a loaded machine answers arrive in bursts and their commits group (group-commit.ts). The budget
 * clock follows the job the worker is on — the first unanswered one; its CPU time starts where the
 * previous answer said the thread's clock stood. A job over budget terminates the worker — a
 * regular expression stuck in a third-party parser cannot be interrupted any other way — and only
 * that job fails: the jobs behind it go, in the same order, to a fresh worker.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WorkerReplySchema, type ConversionResult, type ConversionSettings } from './conversion-protocol.ts';
import { addUnitEntryUses } from '../../../adapters/units/index.ts';

/** Why a message was not converted: the names an ACK and the kept message carry. */
export type BudgetLimit = 'message-size' | 'cpu-time' | 'memory' | 'worker-failed';

export type ThreadOutcome =
  /** cpuMs: the worker thread's CPU time for this message, when the runtime can read it. */
  { kind: 'done'; result: ConversionResult; cpuMs?: number } | { kind: 'over-budget'; limit: BudgetLimit; detail: string };

export interface ConversionThreadOptions {
  settings: ConversionSettings;
  cpuBudgetMs: number;
  memoryMb: number;
  /** The worker script; default: conversion-worker.ts beside this file, or the Electron bundle's own. */
  entry?: URL | string;
  log?: (line: string) => void;
  /** Jobs handed to the worker before the first is answered (default 32). */
  maxInFlight?: number;
  /** Their frames' bytes at most, beyond the first job (default 8 MiB): what waits in the worker's port. */
  maxInFlightBytes?: number;
}

export interface ConversionThread {
  convert(frame: Uint8Array, receivedAt: string): Promise<ThreadOutcome>;
  close(): Promise<void>;
}

/** The wall-clock cap, in budgets: past it the job is stopped however little CPU it got. */
const WALL_CAP_BUDGETS = 4;
/** A worker whose modules have not loaded by then is given up on (the job is kept, answered AE). */
const STARTUP_TIMEOUT_MS = 60_000;
const DEFAULT_IN_FLIGHT = 32;
const DEFAULT_IN_FLIGHT_BYTES = 8 * 1024 * 1024;

interface Job {
  id: number;
  frame: Uint8Array;
  receivedAt: string;
  resolve: (outcome: ThreadOutcome) => void;
  /** When the worker started on it, as far as this thread can tell (set once it is the first in flight). */
  startWall: number;
  startCpu: number | undefined;
}

export function defaultConversionWorkerEntry(): URL {
  // From source (Node, vitest, the browser host) import.meta.url names this file. In the Electron
  // main bundle (CommonJS) it names main.cjs (scripts/build-electron.ts defines it), and the
  // worker is its own bundle beside it.
  const here = import.meta.url || pathToFileURL(path.join(__dirname, 'main.cjs')).href;
  return here.endsWith('.cjs') ? new URL('./inbound-hl7-worker.cjs', here) : new URL('./conversion-worker.ts', here);
}

function cpuMsOf(usage: { user: number; system: number }): number {
  return (usage.user + usage.system) / 1000;
}

/** A started worker and whether its modules loaded (false when it died or hung instead). */
interface SpawnedWorker {
  worker: Worker;
  ready: Promise<boolean>;
  /** The worker thread's CPU time in ms as it last told (ready, then every reply); undefined where unreadable. */
  cpuTotalMs: number | undefined;
}

/**
 * Starts one worker under the heap budget. `onFailure` receives its error (or the start-up
 * timeout), which the job waiting on it reports as the reason it was not converted.
 */
function spawnConversionWorker(
  entry: URL | string,
  options: ConversionThreadOptions,
  log: (line: string) => void,
  onFailure: (error: Error) => void,
): SpawnedWorker {
  const w = new Worker(entry, {
    workerData: options.settings,
    resourceLimits: { maxOldGenerationSizeMb: options.memoryMb, maxYoungGenerationSizeMb: 64 },
  });
  // The listener keeps the process alive; an idle worker must not.
  w.unref();
  w.on('error', (error) => {
    onFailure(error);
    log(`inbound-hl7: the conversion worker failed: ${error.message.slice(0, 200)}`);
  });
  // Its modules load before the first job's clock starts; false when it died (or hung) instead.
  const spawned: SpawnedWorker = { worker: w, ready: Promise.resolve(false), cpuTotalMs: undefined };
  spawned.ready = new Promise<boolean>((resolve) => {
    const hung = setTimeout(() => {
      onFailure(new Error(`the conversion worker did not start within ${STARTUP_TIMEOUT_MS} ms`));
      void w.terminate();
    }, STARTUP_TIMEOUT_MS);
    hung.unref();
    const onReady = (message: unknown): void => {
      if (typeof message === 'object' && message !== null && (message as { ready?: unknown }).ready === true) {
        const cpu = (message as { cpuTotalMs?: unknown }).cpuTotalMs;
        spawned.cpuTotalMs = typeof cpu === 'number' ? cpu : undefined;
        w.off('message', onReady);
        clearTimeout(hung);
        resolve(true);
      }
    };
    w.on('message', onReady);
    w.once('exit', () => {
      clearTimeout(hung);
      resolve(false);
    });
  });
  return spawned;
}

/** The worker thread's CPU time in ms, or undefined when the runtime cannot read it. */
async function cpuOf(w: Worker): Promise<number | undefined> {
  // worker.cpuUsage() (Node ≥ 24.6) reads the thread's clock even while it is stuck.
  if (typeof w.cpuUsage !== 'function') return undefined;
  try {
    return cpuMsOf(await w.cpuUsage());
  } catch {
    return undefined;
  }
}

/** A worker's answer, checked; the unit mappings its conversion used are counted in this thread's table (the console shows them). */
function readReply(raw: unknown): ReturnType<typeof WorkerReplySchema.safeParse> {
  const reply = WorkerReplySchema.safeParse(raw);
  if (reply.success && reply.data.unitUses) addUnitEntryUses(reply.data.unitUses);
  return reply;
}

/** What the job a worker died on is told: the heap budget, or the worker's own error. */
function exitOutcome(failure: Error | undefined, code: number, memoryMb: number): ThreadOutcome {
  const error = failure as (Error & { code?: string }) | undefined;
  if (error?.code === 'ERR_WORKER_OUT_OF_MEMORY')
    return { kind: 'over-budget', limit: 'memory', detail: `heap budget of ${memoryMb} MB (maxConversionMemoryMb)` };
  return {
    kind: 'over-budget',
    limit: 'worker-failed',
    detail: error ? `${error.name}: ${error.message.slice(0, 160)}` : `exit code ${code}`,
  };
}

export function createConversionThread(options: ConversionThreadOptions): ConversionThread {
  const entry = options.entry ?? defaultConversionWorkerEntry();
  const log = options.log ?? (() => {});
  const maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_IN_FLIGHT);
  const maxInFlightBytes = options.maxInFlightBytes ?? DEFAULT_IN_FLIGHT_BYTES;
  let current: SpawnedWorker | undefined;
  let failure: Error | undefined;
  let sequence = 0;
  let closed = false;
  /** Jobs not yet handed to a worker, in arrival order. */
  const waiting: Job[] = [];
  /** Jobs handed to `current`, in the order it converts them: the first is the one it is on. */
  let inFlight: Job[] = [];
  let inFlightBytes = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idle: Promise<void> = Promise.resolve();
  let markIdle: (() => void) | undefined;

  function spawn(): SpawnedWorker {
    const spawned = spawnConversionWorker(entry, options, log, (error) => {
      failure = error;
    });
    spawned.worker.on('message', (raw: unknown) => onReply(spawned, raw));
    spawned.worker.on('exit', (code: number) => onExit(spawned, code));
    void spawned.ready.then((ok) => {
      if (current !== spawned) return;
      if (ok) pump();
      else failHead(spawned, startFailure());
    });
    return spawned;
  }

  const startFailure = (): ThreadOutcome => ({
    kind: 'over-budget',
    limit: 'worker-failed',
    detail: failure ? `${failure.name}: ${failure.message.slice(0, 160)}` : 'the conversion worker did not start',
  });

  /** The job at the head is the one being converted: its clocks start now, from the worker's CPU time as last told. */
  function startHead(spawned: SpawnedWorker): void {
    clearTimeout(timer);
    timer = undefined;
    const head = inFlight[0];
    if (!head) return;
    head.startWall = performance.now();
    head.startCpu = spawned.cpuTotalMs;
    timer = setTimeout(() => void check(spawned, head), options.cpuBudgetMs);
  }

  /** Hands waiting jobs to a ready worker, up to the window (always at least one). */
  function pump(): void {
    if (closed && waiting.length === 0 && inFlight.length === 0) return;
    const spawned = (current ??= spawn());
    if (waiting.length > 0 && inFlight.length === 0) spawned.worker.ref();
    void spawned.ready.then((ok) => {
      if (!ok || current !== spawned) return;
      while (waiting.length > 0 && inFlight.length < maxInFlight) {
        const next = waiting[0]!;
        if (inFlight.length > 0 && inFlightBytes + next.frame.length > maxInFlightBytes) break;
        waiting.shift();
        const wasEmpty = inFlight.length === 0;
        inFlight.push(next);
        inFlightBytes += next.frame.length;
        failure = undefined;
        // Copied, not transferred: the listener keeps the bytes to store them if the job fails.
        spawned.worker.postMessage({ id: next.id, frame: next.frame, receivedAt: next.receivedAt });
        if (wasEmpty) startHead(spawned);
      }
    });
  }

  function settle(job: Job, outcome: ThreadOutcome): void {
    job.resolve(outcome);
    if (waiting.length === 0 && inFlight.length === 0) {
      current?.worker.unref();
      markIdle?.();
      markIdle = undefined;
    }
  }

  /** The head is done: the next in flight is now the one being converted. */
  function shiftHead(spawned: SpawnedWorker, outcome: ThreadOutcome): void {
    const head = inFlight.shift();
    if (!head) return;
    inFlightBytes -= head.frame.length;
    startHead(spawned);
    settle(head, outcome);
    pump();
  }

  /**
   * The head failed with the worker: it alone gets the outcome; the jobs behind it were not
   * converted yet and go to a fresh worker, in the same order, ahead of those still waiting.
   */
  function failHead(spawned: SpawnedWorker, outcome: ThreadOutcome): void {
    clearTimeout(timer);
    timer = undefined;
    if (current === spawned) current = undefined;
    void spawned.worker.terminate();
    const [head, ...behind] = inFlight;
    inFlight = [];
    inFlightBytes = 0;
    waiting.unshift(...behind);
    if (head) settle(head, outcome);
    else {
      // A worker that failed before any job was handed to it: the first waiting job takes the failure.
      const first = waiting.shift();
      if (first) settle(first, outcome);
    }
    // The next message should not wait for a worker's start-up; a worker that could not start is
    // tried again only for a job (no loop of start-ups while nothing waits).
    if (waiting.length > 0 || (head && !closed)) current = spawn();
    if (waiting.length > 0) pump();
  }

  function onReply(spawned: SpawnedWorker, raw: unknown): void {
    if (current !== spawned) return;
    if (typeof raw === 'object' && raw !== null && (raw as { ready?: unknown }).ready === true) return;
    const reply = readReply(raw);
    const head = inFlight[0];
    if (!reply.success || !head || reply.data.id !== head.id) {
      failHead(spawned, { kind: 'over-budget', limit: 'worker-failed', detail: 'the conversion worker answered out of turn' });
      return;
    }
    const { result, cpuMs, cpuTotalMs } = reply.data;
    spawned.cpuTotalMs = cpuTotalMs;
    shiftHead(spawned, { kind: 'done', result, ...(cpuMs === undefined ? {} : { cpuMs }) });
  }

  function onExit(spawned: SpawnedWorker, code: number): void {
    if (current === spawned) failHead(spawned, exitOutcome(failure, code, options.memoryMb));
  }

  async function check(spawned: SpawnedWorker, job: Job): Promise<void> {
    if (current !== spawned || inFlight[0] !== job) return;
    const wall = performance.now() - job.startWall;
    const now = job.startCpu === undefined ? undefined : await cpuOf(spawned.worker);
    if (current !== spawned || inFlight[0] !== job) return;
    const used = now === undefined || job.startCpu === undefined ? wall : now - job.startCpu;
    if (used >= options.cpuBudgetMs || wall >= options.cpuBudgetMs * WALL_CAP_BUDGETS) {
      // The worker may be ahead of this thread: its answer to this job (and CPU spent on the next
      // ones) can sit unread behind a long turn here. Read the port first, then decide.
      await new Promise((resolve) => setImmediate(resolve));
      if (current !== spawned || inFlight[0] !== job) return;
      const what = used >= options.cpuBudgetMs ? `${Math.round(used)} ms of CPU` : `${Math.round(wall)} ms`;
      log(`inbound-hl7: a conversion used ${what}, over its budget of ${options.cpuBudgetMs} ms; worker restarted`);
      failHead(spawned, {
        kind: 'over-budget',
        limit: 'cpu-time',
        detail: `CPU-time budget of ${options.cpuBudgetMs} ms (maxConversionCpuMs)`,
      });
      return;
    }
    timer = setTimeout(() => void check(spawned, job), Math.max(10, options.cpuBudgetMs - used));
  }

  // Started at once, so the first push does not wait for the worker's modules to load.
  current = spawn();

  return {
    convert(frame, receivedAt) {
      if (closed) return Promise.resolve({ kind: 'over-budget', limit: 'worker-failed', detail: 'the listener is closing' });
      return new Promise<ThreadOutcome>((resolve) => {
        if (waiting.length === 0 && inFlight.length === 0) idle = new Promise<void>((r) => (markIdle = r));
        waiting.push({ id: ++sequence, frame, receivedAt, resolve, startWall: 0, startCpu: undefined });
        pump();
      });
    },
    async close() {
      closed = true;
      await idle;
      clearTimeout(timer);
      const last = current;
      current = undefined;
      await last?.worker.terminate();
    },
  };
}
