import type { SourcePatientRef } from '../../../shared/domain/source.ts';

export interface BreakGlassGrant {
  userId: string;
  reason: string;
  until: number;
  /** Exactly the system records of the one person it was asked for. */
  refs: readonly SourcePatientRef[];
}

const refKey = (ref: SourcePatientRef) => `${ref.sourceId}/${ref.sourcePatientId}`;

/**
 * Emergency access outside the rules: per user and person (the system records the identity
 * service vouched for as one person when it was asked), for a stated reason, until a deadline.
 * A grant covers each of those records and nothing else: never another record sent along in the
 * same request. Kept in memory only — a restart (or sign-out) ends every grant, by design.
 */
export class BreakGlassGrants {
  private readonly grants = new Map<string, BreakGlassGrant>();
  private readonly clock: () => number;
  constructor(clock: () => number = Date.now) {
    this.clock = clock;
  }

  grant(userId: string, refs: readonly SourcePatientRef[], reason: string, minutes: number): BreakGlassGrant {
    const grant = { userId, reason, until: this.clock() + minutes * 60_000, refs: [...refs] };
    for (const ref of refs) this.grants.set(`${userId}|${refKey(ref)}`, grant);
    return grant;
  }

  /** The valid grant this user holds for this one record, if any. */
  covering(userId: string, ref: SourcePatientRef): BreakGlassGrant | undefined {
    const key = `${userId}|${refKey(ref)}`;
    const grant = this.grants.get(key);
    if (!grant) return undefined;
    if (grant.until > this.clock()) return grant;
    this.grants.delete(key);
    return undefined;
  }

  /**
   * Which of these records a grant covers, each judged on its own: `grant` is the latest-ending
   * grant among them (what the banner shows), `uncovered` the records no grant names.
   */
  coverage(
    userId: string,
    refs: readonly SourcePatientRef[],
  ): { grant?: BreakGlassGrant; covered: SourcePatientRef[]; uncovered: SourcePatientRef[] } {
    const covered: SourcePatientRef[] = [];
    const uncovered: SourcePatientRef[] = [];
    let grant: BreakGlassGrant | undefined;
    for (const ref of refs) {
      const found = this.covering(userId, ref);
      if (!found) {
        uncovered.push(ref);
        continue;
      }
      covered.push(ref);
      if (!grant || found.until > grant.until) grant = found;
    }
    return { ...(grant ? { grant } : {}), covered, uncovered };
  }

  revokeUser(userId: string): void {
    for (const key of [...this.grants.keys()]) if (key.startsWith(`${userId}|`)) this.grants.delete(key);
  }
}
