import { createHash } from 'node:crypto';
import {
  createInMemoryLinkDecisionStore,
  LinkDecisionSchema,
  pairKey,
  type LinkDecision,
  type LinkDecisionStore,
} from './link-decisions.ts';
import type { CacheStore } from '../cache/index.ts';
import { putWorkstationRecord, readWorkstationRecords, type WorkstationRecordKind } from './workstation-records.ts';

const DECISIONS: WorkstationRecordKind<LinkDecision> = { kind: 'link-decision', schema: LinkDecisionSchema };

/** The decisions the matcher consults (synchronously, during a search) and how new ones are kept. */
export interface LinkDecisionLog {
  store: LinkDecisionStore;
  /** With a cache, makes a decision already put in `store` survive restarts; rejects if the write fails. */
  persist(decision: LinkDecision): Promise<void>;
}

/** One record per pair of system records: a later decision on the same pair replaces the earlier. */
const recordIdOf = (d: LinkDecision) => createHash('sha256').update(pairKey(d.a, d.b)).digest('hex').slice(0, 32);

/**
 * Loads the remembered decisions: from the encrypted cache when the workstation has one (so a
 * confirm or unlink holds across restarts), else kept in memory for this run only.
 */
export async function openLinkDecisionLog(
  cache: CacheStore | undefined,
  onBad: (error: Error) => void = () => {},
): Promise<LinkDecisionLog> {
  const initial = cache ? await readWorkstationRecords(cache, DECISIONS, onBad) : [];
  // Newest last, so a stray older duplicate never overrides a newer decision.
  initial.sort((x, y) => x.decidedAt.localeCompare(y.decidedAt));
  const store = createInMemoryLinkDecisionStore(initial);
  return {
    store,
    async persist(decision) {
      if (cache) await putWorkstationRecord(cache, DECISIONS, recordIdOf(decision), decision, decision.decidedAt);
    },
  };
}
