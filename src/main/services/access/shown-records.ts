import type { SourcePatientRef } from '../../../shared/domain/source.ts';

/**
 * Records one user may have on screen at most: a busy day's searches and a large ward's worklist
 * refreshed all shift stay well under it; past it the oldest go first, so a tab cannot grow it without bound.
 */
const REMEMBERED_PER_USER = 5000;

// JSON, so no system id and patient id can run together into another record's key.
const keyOf = (ref: SourcePatientRef) => JSON.stringify([ref.sourceId, ref.sourcePatientId]);

/**
 * The system records the screen showed each signed-in user this session: in a search result,
 * a worklist row they were served, or an open admitted for them. Whatever names records beside
 * the one person's own data (link decisions) answers only for these, so a tab cannot walk the
 * workstation's records by id.
 */
export class ShownRecords {
  private readonly byUser = new Map<string, Map<string, true>>();

  show(userId: string, refs: readonly SourcePatientRef[]): void {
    let shown = this.byUser.get(userId);
    if (!shown) this.byUser.set(userId, (shown = new Map()));
    for (const ref of refs) {
      const key = keyOf(ref);
      // Re-inserted, so what is shown again counts as the newest.
      shown.delete(key);
      shown.set(key, true);
    }
    for (const key of shown.keys()) {
      if (shown.size <= REMEMBERED_PER_USER) break;
      shown.delete(key);
    }
  }

  wasShown(userId: string, ref: SourcePatientRef): boolean {
    return this.byUser.get(userId)?.has(keyOf(ref)) ?? false;
  }

  /** The records of these this user was never shown. */
  notShown(userId: string, refs: readonly SourcePatientRef[]): SourcePatientRef[] {
    return refs.filter((ref) => !this.wasShown(userId, ref));
  }

  forget(userId: string): void {
    this.byUser.delete(userId);
  }
}
