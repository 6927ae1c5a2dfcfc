/**
 * The main thread's side of the record writer: batches of records (`putRecordBatch`, the inbound
 * paths' group commits) are sealed and committed in a worker thread with its own connection
 * (record-writer-worker.ts), so a stream of broker deliveries does not hold the event loop the API
 * answers on for the length of every commit and its fsync. Batches go to the thread in call order
 * and it commits them in that order; each resolves once its transaction is durable. The thread
 * starts on the first batch. Where it cannot open its connection the batches are written on this
 * thread instead (as before the writer existed), so a write never fails for want of the thread.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CacheError } from './cache-error.ts';
import type { RecordWrite } from './cache-store.ts';
import { WriterReplySchema, type WriterRequest, type WriterSetup } from './record-writer-protocol.ts';

export interface RecordWriterOptions {
  /** The connection's settings and keys, read when a thread starts (after a key rotation: the new ones). */
  setup: () => WriterSetup;
  /** Writes a batch on this thread: when the writer thread cannot open its connection. */
  inline: (writes: readonly RecordWrite[]) => Promise<string[]>;
  /** The worker script; default: record-writer-worker.ts beside this file, or the Electron bundle's own. */
  entry?: URL | string;
}

export interface RecordWriter {
  /** Resolves with each write's patient revision once the batch is durable; rejects with a CacheError. */
  write(writes: readonly RecordWrite[], now: number): Promise<string[]>;
  /**
   * Lets the batches handed over commit, stops the thread and holds later batches until the
   * returned function is called (a key rotation must not race a patient created under the old key).
   */
  pause(): Promise<() => void>;
  /** Stops the thread once the batches handed over are committed. */
  close(): void;
}

interface Pending {
  writes: readonly RecordWrite[];
  now: number;
  resolve: (revisions: string[]) => void;
  reject: (error: unknown) => void;
}

interface Running {
  worker: Worker;
  ready: boolean;
  pending: Map<number, Pending>;
  exited: Promise<void>;
}

export function defaultRecordWriterEntry(): URL {
  // As for the conversion worker: in the Electron main bundle (CommonJS) import.meta.url names
  // main.cjs, and the writer is its own bundle beside it.
  const here = import.meta.url || pathToFileURL(path.join(__dirname, 'main.cjs')).href;
  return here.endsWith('.cjs') ? new URL('./cache-writer-worker.cjs', here) : new URL('./record-writer-worker.ts', here);
}

export function createRecordWriter(options: RecordWriterOptions): RecordWriter {
  const entry = options.entry ?? defaultRecordWriterEntry();
  let running: Running | undefined;
  let onThisThread = false;
  let sequence = 0;
  let held: Promise<void> | undefined;

  function fallBack(from: Running): void {
    onThisThread = true;
    // Still in the order they were handed over: a later batch's upsert wins, as on the thread.
    let chain = Promise.resolve();
    for (const p of from.pending.values()) {
      chain = chain.then(() => options.inline(p.writes).then(p.resolve, p.reject));
    }
    from.pending.clear();
  }

  function onReply(from: Running, raw: unknown): void {
    const reply = WriterReplySchema.parse(raw);
    if (reply.kind === 'ready') {
      from.ready = true;
      return;
    }
    if (reply.kind === 'unavailable') {
      fallBack(from);
      return;
    }
    const p = from.pending.get(reply.id);
    if (!p) return;
    from.pending.delete(reply.id);
    if (reply.kind === 'written') p.resolve(reply.revisions);
    else p.reject(new CacheError(reply.code, reply.message));
  }

  function onExit(from: Running): void {
    if (running === from) running = undefined;
    if (!from.ready) {
      // It never opened its connection (its script could not load): nothing was written there.
      fallBack(from);
      return;
    }
    for (const p of from.pending.values()) {
      // The transaction may or may not have committed; the sender's retry writes the same ids again.
      p.reject(new CacheError('io', 'The cache writer thread stopped before the write was confirmed.'));
    }
    from.pending.clear();
  }

  function start(): Running {
    const setup = options.setup();
    const worker = new Worker(entry, { workerData: setup });
    // workerData was cloned into the thread: this thread's copies of the keys are not needed.
    for (const bytes of [setup.keys.masterKey, setup.keys.indexKey, setup.keys.blind, setup.keys.blobName]) bytes.fill(0);
    // The store's owner keeps the process alive; an idle writer must not.
    worker.unref();
    const started: Running = { worker, ready: false, pending: new Map(), exited: Promise.resolve() };
    started.exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (raw: unknown) => onReply(started, raw));
    // The error is followed by 'exit'; the batches waiting are told there.
    worker.on('error', () => undefined);
    worker.once('exit', () => onExit(started));
    return started;
  }

  function post(writes: readonly RecordWrite[], now: number): Promise<string[]> {
    if (onThisThread) return options.inline(writes);
    running ??= start();
    const target = running;
    const id = ++sequence;
    return new Promise<string[]>((resolve, reject) => {
      target.pending.set(id, { writes, now, resolve, reject });
      const request: WriterRequest = {
        kind: 'batch',
        id,
        now,
        writes: writes.map((w) => ({
          patientKey: w.patientKey,
          sourceId: w.sourceId,
          records: [...w.records],
          ...(w.serialized ? { serialized: [...w.serialized] } : {}),
        })),
      };
      target.worker.postMessage(request);
    });
  }

  function stop(): Promise<void> {
    const target = running;
    if (!target) return Promise.resolve();
    running = undefined;
    const close: WriterRequest = { kind: 'close' };
    target.worker.postMessage(close);
    return target.exited;
  }

  return {
    async write(writes, now) {
      while (held) await held;
      return post(writes, now);
    },
    async pause() {
      let release = (): void => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      while (held) await held;
      held = gate;
      await stop();
      return () => {
        held = undefined;
        release();
      };
    },
    close() {
      void stop();
    },
  };
}
