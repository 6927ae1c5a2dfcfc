import type { SourceDescriptor } from '../../../adapters/source-adapter.ts';
import { SourceError } from '../../../adapters/source-error.ts';
import type { SourceErrorCode } from '../../../shared/domain/source.ts';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.ts';
import { ConcurrencyLimiter } from './concurrency-limiter.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { SourceCallListener, SourceCallRecord } from './call-record.ts';

export interface SourceGuardOptions {
  circuitBreaker: { failureThreshold: number; resetMs: number };
  maxConcurrent: number;
  rateLimit: { ratePerSecond: number; burst: number };
  now?: () => number;
}

/** Failures that say the system itself is unwell; only these count towards opening the circuit. */
const SYSTEM_FAILURES = new Set<SourceErrorCode>(['timeout', 'unreachable', 'server-error', 'rate-limited']);

/** One request's admission through the guard; the caller reports how it went. */
export interface Permit {
  /** The request waited for a rate-limit token before it went out. */
  readonly waitedForRate: boolean;
  succeeded(): void;
  /** True when this failure opened the circuit. */
  failed(error: SourceError): boolean;
}

/**
 * The per-source protections that outlive a single request: circuit breaker, concurrency cap
 * and rate limit. One guard per configured source per workstation.
 */
export class SourceGuard {
  readonly breaker: CircuitBreaker;
  readonly limiter: ConcurrencyLimiter;
  readonly rate: RateLimiter;
  private readonly source: SourceDescriptor;
  private readonly callListeners = new Set<SourceCallListener>();

  constructor(source: SourceDescriptor, options: SourceGuardOptions) {
    this.source = source;
    this.breaker = new CircuitBreaker({ ...options.circuitBreaker, ...(options.now ? { now: options.now } : {}) });
    this.limiter = new ConcurrencyLimiter(options.maxConcurrent);
    this.rate = new RateLimiter(options.rateLimit);
  }

  /** Waits for a slot and a token; refuses at once while the circuit is open. */
  async admit(signal: AbortSignal): Promise<Permit> {
    if (!this.breaker.tryAcquire()) {
      const seconds = Math.ceil(this.breaker.retryInMs() / 1000);
      throw new SourceError('circuit-open', this.source.id, `${this.source.name} failed repeatedly; paused, next try in ${seconds} s`);
    }
    let release: () => void;
    let waitedForRate: boolean;
    try {
      release = await this.limiter.acquire(signal);
      waitedForRate = this.rate.waitMs() > 0;
      await this.rate.take(signal).catch((error: unknown) => {
        release();
        throw error;
      });
    } catch (error) {
      this.breaker.onNeutral();
      throw error;
    }
    let settled = false;
    return {
      waitedForRate,
      succeeded: () => {
        if (settled) return;
        settled = true;
        release();
        this.breaker.onSuccess();
      },
      failed: (error) => {
        if (settled) return false;
        settled = true;
        release();
        const stateOf = (): CircuitState => this.breaker.currentState;
        const wasOpen = stateOf() === 'open';
        if (SYSTEM_FAILURES.has(error.code)) this.breaker.onFailure();
        else if (error.code === 'aborted') this.breaker.onNeutral();
        // A 401, 404 or a protocol error is an answer: the system is up.
        else this.breaker.onSuccess();
        return !wasOpen && stateOf() === 'open';
      },
    };
  }

  /** Hears every settled call through this guard (the source-health history); returns the unsubscribe. */
  onCall(listener: SourceCallListener): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  /** A call settled: told to the listeners, whose failures never reach the caller. */
  report(call: SourceCallRecord): void {
    for (const listener of this.callListeners) {
      try {
        listener(call);
      } catch {
        // Watching a source must never break a read from it.
      }
    }
  }
}
