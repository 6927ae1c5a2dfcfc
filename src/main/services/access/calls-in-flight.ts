/**
 * Identical calls made while one is under way join it: one fan-out, every caller gets its
 * answer (or its failure). Keys are the caller's to make; a settled call is forgotten at once,
 * so nothing is served later from here (that is the cache's job, with its own rules).
 */
export class InFlight {
  readonly #running = new Map<string, Promise<unknown>>();

  /** The call under way for `key`, if any. */
  joined<T>(key: string): Promise<T> | undefined {
    return this.#running.get(key) as Promise<T> | undefined;
  }

  run<T>(key: string, call: () => Promise<T>): Promise<T> {
    const running = this.joined<T>(key);
    if (running) return running;
    const started = Promise.resolve()
      .then(call)
      .finally(() => {
        if (this.#running.get(key) === started) this.#running.delete(key);
      });
    this.#running.set(key, started);
    return started;
  }

  get size(): number {
    return this.#running.size;
  }
}

/** The same request however its keys were ordered: a devtools caller cannot dodge coalescing by reordering them. */
export function requestKey(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
