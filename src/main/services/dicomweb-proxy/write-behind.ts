/**
 * Cold frames are cached behind the answers, not beside them. Sealing a 525 kB frame (a keyed
 * content hash and AES-GCM, ≈ 2.5 ms of the event loop each here) and writing its file cost as
 * much CPU per series as Orthanc spends serving it; done while frames still stream, that work
 * queued in front of the viewer's next frames on two cores (docs/benchmarks.md). So answers
 * wait here, in memory, while frames are being passed on, and are stored when the proxy is
 * quiet, a few at a time so that a new request never waits for more than one batch.
 *
 * Correctness is the cache's as before: a name is read from the cache only once its blob is
 * committed. A request for a name still waiting here hurries it (stored at once, then read).
 */

/** No frame passed on for this long: the viewer has what it asked for; store. */
const QUIET_MS = 30;
/** Answers stored at once (their index rows share one commit); the longest the event loop is held. */
const BATCH = 8;
/** Beyond this many bytes waiting, answers are stored at once whatever is streaming (memory bound). */
const MAX_WAITING_BYTES = 192 * 1024 * 1024;

export interface WriteBehind {
  /** Stores `bytes` under `name` later; resolves once stored (or storing failed and was logged). */
  enqueue(name: string, bytes: number, store: () => Promise<void>): Promise<void>;
  /** Stores `name` now, if it waits. */
  hurry(name: string): void;
  /** A frame started or finished passing through: the proxy is not quiet meanwhile. */
  streaming(delta: 1 | -1): void;
  /** Stores everything waiting, now (shutdown, tests, benchmarks). */
  drain(): Promise<void>;
}

interface Waiting {
  bytes: number;
  store: () => Promise<void>;
  done: () => void;
}

export function createWriteBehind(): WriteBehind {
  const waiting = new Map<string, Waiting>();
  let waitingBytes = 0;
  let streams = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let draining = false;

  function take(name: string): Promise<void> {
    const entry = waiting.get(name);
    if (!entry) return Promise.resolve();
    waiting.delete(name);
    waitingBytes -= entry.bytes;
    return entry.store().finally(entry.done);
  }

  /** Batches until nothing waits, stepping aside when frames stream again (unless memory is short). */
  async function run(): Promise<void> {
    while (waiting.size > 0 && (streams === 0 || draining || waitingBytes > MAX_WAITING_BYTES)) {
      await Promise.all([...waiting.keys()].slice(0, BATCH).map(take));
    }
  }

  function start(): void {
    if (running) return;
    const batches = run();
    running = batches;
    void batches.finally(() => {
      if (running === batches) running = undefined;
      if (waiting.size > 0) later();
    });
  }

  function later(): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (streams === 0) start();
    }, QUIET_MS);
    timer.unref?.();
  }

  return {
    enqueue(name, bytes, store) {
      return new Promise<void>((done) => {
        const replaced = waiting.get(name);
        if (replaced) {
          waitingBytes -= replaced.bytes;
          replaced.done();
        }
        waiting.set(name, { bytes, store, done });
        waitingBytes += bytes;
        if (waitingBytes > MAX_WAITING_BYTES) start();
        else if (streams === 0) later();
      });
    },
    hurry(name) {
      if (waiting.has(name)) void take(name);
    },
    streaming(delta) {
      streams += delta;
      if (streams === 0 && waiting.size > 0) later();
    },
    async drain() {
      draining = true;
      try {
        while (waiting.size > 0 || running) {
          start();
          await running;
        }
      } finally {
        draining = false;
      }
    },
  };
}
