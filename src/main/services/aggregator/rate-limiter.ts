export interface RateLimiterOptions {
  /** Sustained requests per second to this source from this workstation. */
  ratePerSecond: number;
  /** Requests that may go out at once after a quiet spell. */
  burst: number;
  now?: () => number;
}

/**
 * A token bucket per source, so a ward full of workstations opening patients at shift change
 * cannot flood a HIS. Waiting for a token counts against the request's own deadline.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly options: Required<RateLimiterOptions>;

  constructor(options: RateLimiterOptions) {
    this.options = { now: () => performance.now(), ...options };
    this.tokens = options.burst;
    this.last = this.options.now();
  }

  private refill(): void {
    const now = this.options.now();
    this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.last) / 1000) * this.options.ratePerSecond);
    this.last = now;
  }

  /** Milliseconds until a token is available (0 = now). */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.options.ratePerSecond) * 1000);
  }

  async take(signal: AbortSignal): Promise<void> {
    for (;;) {
      if (signal.aborted) throw signal.reason;
      const wait = this.waitMs();
      if (wait === 0) {
        this.tokens -= 1;
        return;
      }
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, wait);
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
  }
}
