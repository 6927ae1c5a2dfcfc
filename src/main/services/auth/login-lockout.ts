/**
 * Per-username lockout after repeated failures, in memory: a restart clears it, which is
 * acceptable for a workstation (an attacker who can restart the app has the machine).
 * Unknown usernames are tracked like real ones, so a lockout reveals nothing about which exist.
 */
export interface LockoutOptions {
  /** Failures in a row that lock the username. */
  maxFailures?: number;
  lockoutMs?: number;
  /** Usernames remembered at most; the oldest are forgotten first (bounded memory under a spray). */
  maxTracked?: number;
  now?: () => number;
}

interface FailureRecord {
  failures: number;
  lockedUntil: number;
}

export interface LoginLockout {
  /** Milliseconds until `key` may try again, or 0 when it may try now. */
  lockedFor(key: string): number;
  recordFailure(key: string): void;
  recordSuccess(key: string): void;
}

export function createLoginLockout(options: LockoutOptions = {}): LoginLockout {
  const maxFailures = options.maxFailures ?? 5;
  const lockoutMs = options.lockoutMs ?? 5 * 60_000;
  const maxTracked = options.maxTracked ?? 10_000;
  const now = options.now ?? Date.now;
  const records = new Map<string, FailureRecord>();

  return {
    lockedFor(key) {
      const record = records.get(key);
      if (!record || record.lockedUntil === 0) return 0;
      const remaining = record.lockedUntil - now();
      if (remaining > 0) return remaining;
      // The lock has run out: the next attempts start from a clean count.
      records.delete(key);
      return 0;
    },
    recordFailure(key) {
      const record = records.get(key) ?? { failures: 0, lockedUntil: 0 };
      records.delete(key);
      record.failures += 1;
      if (record.failures >= maxFailures) record.lockedUntil = now() + lockoutMs;
      records.set(key, record);
      if (records.size > maxTracked) {
        const oldest = records.keys().next();
        if (!oldest.done) records.delete(oldest.value);
      }
    },
    recordSuccess(key) {
      records.delete(key);
    },
  };
}
