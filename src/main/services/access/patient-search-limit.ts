import type { SourcePatientRef } from '../../../shared/domain/source.ts';

/** Distinct patient references one administrator may search the audit trail for, per window. */
export const PATIENT_SEARCH_LIMITS: readonly { windowMs: number; max: number }[] = [
  { windowMs: 60_000, max: 5 },
  { windowMs: 3_600_000, max: 30 },
];

/**
 * "Who opened patient X?" is the privacy officer's question, asked of a few records at a time; a
 * script walking sequential record ids (pat-0001, pat-0002 …) asks it of all of them. Counted per
 * user, not per sign-in (signing in again does not reset it), and by distinct reference: paging
 * through one patient's events, or asking again, costs nothing.
 */
export class PatientSearchLimit {
  readonly #clock: () => number;
  readonly #seen = new Map<string, Map<string, number>>();

  constructor(clock: () => number) {
    this.#clock = clock;
  }

  /** Whether `userId` may search for `ref` now; when it may, the search is counted. */
  admit(userId: string, ref: SourcePatientRef): boolean {
    const now = this.#clock();
    const longest = Math.max(...PATIENT_SEARCH_LIMITS.map((l) => l.windowMs));
    const seen = this.#seen.get(userId) ?? new Map<string, number>();
    for (const [key, at] of seen) if (now - at >= longest) seen.delete(key);
    this.#seen.set(userId, seen);
    const key = `${ref.sourceId}\u0000${ref.sourcePatientId}`;
    if (!seen.has(key)) {
      const times = [...seen.values()];
      if (PATIENT_SEARCH_LIMITS.some((l) => times.filter((at) => now - at < l.windowMs).length >= l.max)) return false;
    }
    seen.set(key, now);
    return true;
  }
}
