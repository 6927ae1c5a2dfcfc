/** Per-request limits, taken from the source's configuration. */
export interface ResiliencePolicy {
  timeoutMs: number;
  retries: number;
  slowMs: number;
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 200, maxMs: 5_000, random: Math.random };

/**
 * "Full jitter" exponential backoff: a ward of workstations retrying after the same outage
 * spreads out instead of hitting the recovering system in lockstep.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
  return Math.floor(options.random() * ceiling);
}
