import type { WorklistChangeReason } from '../../../shared/api/events.ts';

export type WorklistChangeListener = (change: { reasons: WorklistChangeReason[] }) => void;

export interface ChangeSignal {
  /** Something the worklist shows changed; listeners hear of it once per burst. */
  note(reason: WorklistChangeReason): void;
  subscribe(listener: WorklistChangeListener): () => void;
  stop(): void;
}

export interface ChangeSignalOptions {
  /** How long a burst may keep arriving before the signal goes (the first event waits this long). */
  quietMs?: number;
  /** At most one signal per this interval: each one makes every open worklist read the census again. */
  minIntervalMs?: number;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * Coalesces census changes and stored results into few "the worklist changed" signals: a burst
 * of 200 events a second makes a handful of re-reads, not 200, while a lone event is told within
 * `quietMs`. The signal names only why, never whom: the renderer reads the rows again through the
 * access-checked worklist call.
 */
export function createChangeSignal(options: ChangeSignalOptions = {}): ChangeSignal {
  const quietMs = options.quietMs ?? 40;
  const minIntervalMs = options.minIntervalMs ?? 250;
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const listeners = new Set<WorklistChangeListener>();
  const reasons = new Set<WorklistChangeReason>();
  let timer: unknown;
  let lastSent = Number.NEGATIVE_INFINITY;
  let stopped = false;

  const flush = () => {
    timer = undefined;
    if (stopped || reasons.size === 0) return;
    const change = { reasons: [...reasons].sort() };
    reasons.clear();
    lastSent = now();
    for (const listener of listeners) listener(change);
  };

  return {
    note(reason) {
      if (stopped) return;
      reasons.add(reason);
      if (timer !== undefined) return;
      const wait = Math.max(quietMs, lastSent + minIntervalMs - now());
      timer = setTimer(flush, wait);
      // A pending signal must not keep a closing process alive.
      (timer as { unref?: () => void } | undefined)?.unref?.();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimer(timer);
      timer = undefined;
      listeners.clear();
    },
  };
}
