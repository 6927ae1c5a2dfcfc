/**
 * Latency and failure knobs for one simulated system, settable at start and while running, so
 * resilience tests and benchmarks can make a source slow, flaky, hung or broken on demand.
 */
import { createPrng, type Prng } from '../synthetic/prng.ts';

export interface FaultSettings {
  /** Added before every response. */
  delayMs: number;
  /** Share of requests (0..1) answered with errorStatus instead of their real response. */
  errorRate: number;
  errorStatus: number;
  /** Sent as Retry-After (seconds) with injected 429/503 answers. */
  retryAfterSeconds?: number;
  /** How Retry-After is written: delta-seconds (default) or an HTTP-date that many seconds ahead. */
  retryAfterFormat?: 'seconds' | 'http-date';
  /** Accept the request and never answer (until the server stops). */
  hang: boolean;
  /** Injected errors quote the request (path and query, decoded) in their diagnostics, as servers that echo the query do. */
  echoRequest?: boolean;
  /** Answer 200 with a broken body: not JSON, or JSON of the wrong resource type. */
  corruptBody?: 'malformed-json' | 'wrong-resource-type';
}

export const NO_FAULTS: FaultSettings = { delayMs: 0, errorRate: 0, errorStatus: 503, hang: false };

export type FaultDecision =
  | { kind: 'hang' }
  | { kind: 'error'; status: number; retryAfter?: string }
  | { kind: 'corrupt'; mode: 'malformed-json' | 'wrong-resource-type' }
  | { kind: 'pass' };

export function retryAfterValue(seconds: number, format: FaultSettings['retryAfterFormat'], now = Date.now()): string {
  return format === 'http-date' ? new Date(now + seconds * 1000).toUTCString() : String(seconds);
}

export class FaultInjector {
  #settings: FaultSettings;
  readonly #prng: Prng;

  /** Seeded so that an error rate of 0.3 fails the same requests on every run. */
  constructor(initial: Partial<FaultSettings> = {}, seed = 1) {
    this.#settings = { ...NO_FAULTS, ...initial };
    this.#prng = createPrng(seed);
  }

  get settings(): Readonly<FaultSettings> {
    return this.#settings;
  }

  /** Merge new values in; `reset()` returns to no faults. */
  set(changes: Partial<FaultSettings>): void {
    this.#settings = { ...this.#settings, ...changes };
  }

  reset(): void {
    this.#settings = { ...NO_FAULTS };
  }

  decide(): FaultDecision {
    const s = this.#settings;
    if (s.hang) return { kind: 'hang' };
    if (s.errorRate > 0 && this.#prng.next() < s.errorRate) {
      return {
        kind: 'error',
        status: s.errorStatus,
        ...(s.retryAfterSeconds !== undefined ? { retryAfter: retryAfterValue(s.retryAfterSeconds, s.retryAfterFormat) } : {}),
      };
    }
    if (s.corruptBody) return { kind: 'corrupt', mode: s.corruptBody };
    return { kind: 'pass' };
  }
}
