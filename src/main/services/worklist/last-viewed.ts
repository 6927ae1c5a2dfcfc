import { z } from 'zod';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import { stayKey } from './census.ts';
import { sealedState, type SealedStateStore } from './sealed-state.ts';

const PURPOSE = 'huizhen-worklist/last-viewed/v1';
/** Per user: the most recently opened patients kept; older ones count as never looked at. */
const PATIENTS_PER_USER = 2_000;

const LastViewedSchema = z.object({ users: z.record(z.string(), z.record(z.string(), z.string())) });
type LastViewedState = z.infer<typeof LastViewedSchema>;

export interface LastViewed {
  /** The user opened this person (all of these records) now. */
  viewed(userId: string, refs: readonly SourcePatientRef[], at: string): void;
  /** When the user last opened any of these records; undefined if never. */
  lastViewedAt(userId: string, refs: readonly SourcePatientRef[]): string | undefined;
}

/** Who last looked at which patient when, per user, kept encrypted in the cache. */
export function createLastViewed(store: SealedStateStore, onUnreadable?: (detail: string) => void): LastViewed {
  const state = sealedState(store, PURPOSE, LastViewedSchema, (): LastViewedState => ({ users: {} }), onUnreadable);
  let memo: LastViewedState | undefined;
  const current = () => (memo ??= state.read());
  return {
    viewed(userId, refs, at) {
      memo = state.update(({ users }) => {
        const mine = { ...users[userId] };
        for (const ref of refs) {
          delete mine[stayKey(ref)];
          mine[stayKey(ref)] = at;
        }
        const keys = Object.keys(mine);
        for (const key of keys.slice(0, Math.max(0, keys.length - PATIENTS_PER_USER))) delete mine[key];
        return { users: { ...users, [userId]: mine } };
      });
    },
    lastViewedAt(userId, refs) {
      const mine = current().users[userId] ?? {};
      return refs
        .map((ref) => mine[stayKey(ref)])
        .filter((t): t is string => t !== undefined)
        .sort()
        .at(-1);
    },
  };
}

/** Kept in memory only: for a workstation without a cache (then nothing is remembered across restarts). */
export function createMemoryLastViewed(): LastViewed {
  const users = new Map<string, Map<string, string>>();
  return {
    viewed(userId, refs, at) {
      const mine = users.get(userId) ?? new Map<string, string>();
      for (const ref of refs) mine.set(stayKey(ref), at);
      users.set(userId, mine);
    },
    lastViewedAt(userId, refs) {
      const mine = users.get(userId);
      return refs
        .map((ref) => mine?.get(stayKey(ref)))
        .filter((t): t is string => t !== undefined)
        .sort()
        .at(-1);
    },
  };
}
