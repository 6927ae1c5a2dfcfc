export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one probe request is let through. */
  resetMs: number;
  now?: () => number;
}

/**
 * Stops a workstation from hammering a system that is down: after a run of failures requests
 * fail at once ("circuit open") until, after a pause, a single probe tests the water.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;
  private readonly options: Required<CircuitBreakerOptions>;

  constructor(options: CircuitBreakerOptions) {
    this.options = { now: () => Date.now(), ...options };
  }

  get currentState(): CircuitState {
    if (this.state === 'open' && this.options.now() - this.openedAt >= this.options.resetMs) return 'half-open';
    return this.state;
  }

  /** Whether a request may go out now; in half-open state only one probe at a time. */
  tryAcquire(): boolean {
    const state = this.currentState;
    if (state === 'closed') return true;
    if (state === 'open') return false;
    if (this.probeInFlight) return false;
    this.state = 'half-open';
    this.probeInFlight = true;
    return true;
  }

  /** Milliseconds until a probe will be allowed (0 when requests may go out now). */
  retryInMs(): number {
    if (this.currentState !== 'open') return 0;
    return Math.max(0, this.options.resetMs - (this.options.now() - this.openedAt));
  }

  onSuccess(): void {
    this.state = 'closed';
    this.failures = 0;
    this.probeInFlight = false;
  }

  onFailure(): void {
    this.probeInFlight = false;
    this.failures += 1;
    if (this.state === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.state = 'open';
      this.openedAt = this.options.now();
    }
  }

  /** A request that ended without telling us anything about the source (e.g. cancelled). */
  onNeutral(): void {
    if (this.state === 'half-open') this.probeInFlight = false;
  }
}
