import type { CallAllowance } from '../../../shared/config/call-limits.ts';

export type Take = { ok: true } | { ok: false; retryAfterMs: number };

/** `burst` calls at once, then `perMinute` on average: the bucket refills continuously up to `burst`. */
export class TokenBucket {
  readonly #allowance: CallAllowance;
  readonly #clock: () => number;
  #tokens: number;
  #at: number;

  constructor(allowance: CallAllowance, clock: () => number) {
    this.#allowance = allowance;
    this.#clock = clock;
    this.#tokens = allowance.burst;
    this.#at = clock();
  }

  /** Takes one call's token if there is one; otherwise how long until there will be. */
  take(): Take {
    this.#refill();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - this.#tokens) * 60_000) / this.#allowance.perMinute) };
  }

  #refill(): void {
    const now = this.#clock();
    // A clock that steps back (NTP) must not mint tokens later or drain them now.
    const elapsed = Math.max(0, now - this.#at);
    this.#at = now;
    this.#tokens = Math.min(this.#allowance.burst, this.#tokens + (elapsed * this.#allowance.perMinute) / 60_000);
  }
}
