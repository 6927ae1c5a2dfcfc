import type { SourcePatientRef } from '../../../shared/domain/source.ts';

export interface BreakGlassGrant {
  userId: string;
  reason: string;
  until: number;
}

const refKey = (ref: SourcePatientRef) => `${ref.sourceId}/${ref.sourcePatientId}`;

/**
 * Emergency access outside the rules: per user and system record, for a stated reason, until a
 * deadline. Kept in memory only — a restart (or sign-out) ends every grant, by design.
 */
export class BreakGlassGrants {
  private readonly grants = new Map<string, BreakGlassGrant>();
  private readonly clock: () => number;
  constructor(clock: () => number = Date.now) {
    this.clock = clock;
  }

  grant(userId: string, refs: readonly SourcePatientRef[], reason: string, minutes: number): BreakGlassGrant {
    const grant = { userId, reason, until: this.clock() + minutes * 60_000 };
    for (const ref of refs) this.grants.set(`${userId}|${refKey(ref)}`, grant);
    return grant;
  }

  /** The grant covering any of these records for this user, if still valid. */
  find(userId: string, refs: readonly SourcePatientRef[]): BreakGlassGrant | undefined {
    const now = this.clock();
    for (const ref of refs) {
      const key = `${userId}|${refKey(ref)}`;
      const grant = this.grants.get(key);
      if (!grant) continue;
      if (grant.until > now) return grant;
      this.grants.delete(key);
    }
    return undefined;
  }

  revokeUser(userId: string): void {
    for (const key of [...this.grants.keys()]) if (key.startsWith(`${userId}|`)) this.grants.delete(key);
  }
}
