/**
 * The listener's side of the conversion worker: one worker thread, one job at a time, each under
 * a CPU-time budget (the worker's own thread CPU, so a busy machine does not count against the
 * message; a wall-clock cap of several budgets backs it up) and a heap budget (resourceLimits).
 * A job over budget terminates the worker — a regular expression stuck in a third-party parser
 * cannot be interrupted any other way — and a fresh worker is started for the next message.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WorkerReplySchema, type ConversionResult, type ConversionSettings } from './conversion-protocol.ts';

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
}

export interface ConversionThread {
  convert(frame: Uint8Array, receivedAt: string): Promise<ThreadOutcome>;
  close(): Promise<void>;
}

/** The wall-clock cap, in budgets: past it the job is stopped however little CPU it got. */
const WALL_CAP_BUDGETS = 4;
/** A worker whose modules have not loaded by then is given up on (the job is kept, answered AE). */
const STARTUP_TIMEOUT_MS = 60_000;

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

export function createConversionThread(options: ConversionThreadOptions): ConversionThread {
  const entry = options.entry ?? defaultConversionWorkerEntry();
  const log = options.log ?? (() => {});
  let current: SpawnedWorker | undefined;
  let failure: Error | undefined;
  let sequence = 0;
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;

  function spawn(): SpawnedWorker {
    const spawned = spawnConversionWorker(entry, options, log, (error) => {
      failure = error;
    });
    spawned.worker.on('exit', () => {
      if (current?.worker === spawned.worker) current = undefined;
    });
    return spawned;
  }

  async function run(frame: Uint8Array, receivedAt: string): Promise<ThreadOutcome> {
    if (closed) return { kind: 'over-budget', limit: 'worker-failed', detail: 'the listener is closing' };
    const spawned = (current ??= spawn());
    const w = spawned.worker;
    // Referenced while a job waits on it (unreferenced when idle).
    w.ref();
    try {
      return await runOn(spawned, frame, receivedAt);
    } finally {
      w.unref();
    }
  }

  async function runOn(spawned: SpawnedWorker, frame: Uint8Array, receivedAt: string): Promise<ThreadOutcome> {
    const w = spawned.worker;
    if (!(await spawned.ready)) {
      return {
        kind: 'over-budget',
        limit: 'worker-failed',
        detail: failure ? `${failure.name}: ${failure.message.slice(0, 160)}` : 'the conversion worker did not start',
      };
    }
    failure = undefined;
    const id = ++sequence;
    // What the worker last told: asking it (worker.cpuUsage) would cost this thread two more round
    // trips per message, which on a loaded machine is what bounds a burst, not the conversion.
    const startCpu = spawned.cpuTotalMs;
    const startWall = performance.now();
    return new Promise<ThreadOutcome>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let settled = false;
      let replied = false;
      const finish = (outcome: ThreadOutcome, stop: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('exit', onExit);
        if (stop) {
          if (current?.worker === w) current = undefined;
          void w.terminate();
          // The next message should not wait for a worker's start-up.
          if (!closed) current = spawn();
        }
        resolve(outcome);
      };
      const onMessage = (raw: unknown): void => {
        const reply = WorkerReplySchema.safeParse(raw);
        if (!reply.success || reply.data.id !== id) {
          finish({ kind: 'over-budget', limit: 'worker-failed', detail: 'the conversion worker answered out of turn' }, true);
          return;
        }
        const { result, cpuMs, cpuTotalMs } = reply.data;
        replied = true;
        spawned.cpuTotalMs = cpuTotalMs;
        finish({ kind: 'done', result, ...(cpuMs === undefined ? {} : { cpuMs }) }, false);
      };
      const onExit = (code: number): void => {
        const error = failure as (Error & { code?: string }) | undefined;
        if (error?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          finish({ kind: 'over-budget', limit: 'memory', detail: `heap budget of ${options.memoryMb} MB (maxConversionMemoryMb)` }, false);
        } else {
          finish(
            {
              kind: 'over-budget',
              limit: 'worker-failed',
              detail: error ? `${error.name}: ${error.message.slice(0, 160)}` : `exit code ${code}`,
            },
            false,
          );
        }
      };
      const check = async (): Promise<void> => {
        if (settled || replied) return;
        const wall = performance.now() - startWall;
        const now = startCpu === undefined ? undefined : await cpuOf(w);
        if (settled || replied) return;
        const used = now === undefined || startCpu === undefined ? wall : now - startCpu;
        if (used >= options.cpuBudgetMs || wall >= options.cpuBudgetMs * WALL_CAP_BUDGETS) {
          const what = used >= options.cpuBudgetMs ? `${Math.round(used)} ms of CPU` : `${Math.round(wall)} ms`;
          log(`inbound-hl7: a conversion used ${what}, over its budget of ${options.cpuBudgetMs} ms; worker restarted`);
          finish(
            { kind: 'over-budget', limit: 'cpu-time', detail: `CPU-time budget of ${options.cpuBudgetMs} ms (maxConversionCpuMs)` },
            true,
          );
          return;
        }
        timer = setTimeout(() => void check(), Math.max(10, options.cpuBudgetMs - used));
      };
      w.on('message', onMessage);
      w.on('exit', onExit);
      timer = setTimeout(() => void check(), options.cpuBudgetMs);
      // Copied, not transferred: the listener keeps the bytes to store them if the job fails.
      w.postMessage({ id, frame, receivedAt });
    });
  }

  // Started at once, so the first push does not wait for the worker's modules to load.
  current = spawn();

  return {
    convert(frame, receivedAt) {
      const next = chain.then(() => run(frame, receivedAt));
      chain = next.catch(() => undefined);
      return next;
    },
    async close() {
      closed = true;
      await chain;
      const last = current;
      current = undefined;
      await last?.worker.terminate();
    },
  };
}
