import { z } from 'zod';
import { TimelineEntrySchema, type TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { CacheStore, ViewMember } from '../cache/index.ts';

/**
 * The first screen of a patient's merged timeline, kept in the encrypted cache after each
 * complete open so the next open can show it at once: decrypting and merging every cached
 * record of a large patient takes seconds, this takes milliseconds. The full cached timeline
 * and then the live one replace it as they arrive.
 */

/** Several screens of rows: enough to read while the rest decrypts, small enough to seal per open. */
export const FIRST_SCREEN_ENTRIES = 200;

/** Versioned: a change to what is stored starts a new view instead of misreading an old one. */
const VIEW_NAME = 'timeline-first-screen/v1';

const TimelineSnapshotSchema = z.object({
  entries: z.array(TimelineEntrySchema),
  /** Entries in the complete timeline it was cut from. */
  totalEntries: z.number().int().nonnegative(),
  /** When each system's part was last synced, by cache key (`<sourceId>/<sourcePatientId>`). */
  syncedAt: z.record(z.string(), z.string()),
});
export type TimelineSnapshot = z.infer<typeof TimelineSnapshotSchema>;

/**
 * The newest `limit` entries (the timeline is ordered newest first), plus the encounters and
 * panels they point at, so grouping works on the first screen too; in the timeline's order.
 */
export function firstScreenOf(entries: readonly TimelineEntry[], limit = FIRST_SCREEN_ENTRIES): TimelineEntry[] {
  if (entries.length <= limit) return [...entries];
  const head = entries.slice(0, limit);
  const wanted = new Set(head.map((e) => e.id));
  const parents = new Set<string>();
  for (const e of head) {
    if (e.encounterId && !wanted.has(e.encounterId)) parents.add(e.encounterId);
    if (e.panelId && !wanted.has(e.panelId)) parents.add(e.panelId);
  }
  // Every stay goes too (a patient has tens, not thousands): the access rules read wards and
  // attending doctors from them, so a first screen can be shown before the whole record is in.
  let stays = 0;
  for (const e of entries) {
    if (e.kind !== 'encounter' || wanted.has(e.id) || parents.has(e.id) || stays >= MAX_EXTRA_ENCOUNTERS) continue;
    parents.add(e.id);
    stays += 1;
  }
  if (parents.size === 0) return head;
  for (const id of parents) wanted.add(id);
  return entries.filter((e) => wanted.has(e.id));
}

const MAX_EXTRA_ENCOUNTERS = 500;

/** The cache key of each part and the cache revision of the records the timeline was built from. */
export interface SnapshotPart {
  cacheKey: string;
  /** Undefined when the part is not in the cache (the source had nothing, or failed uncached). */
  revision: string | undefined;
  syncedAt?: string;
}

export class TimelineSnapshotCache {
  private readonly store: CacheStore;

  constructor(store: CacheStore) {
    this.store = store;
  }

  /** The first screen saved for exactly these parts, unless any of them changed in the cache since. */
  async read(cacheKeys: readonly string[]): Promise<TimelineSnapshot | undefined> {
    if (cacheKeys.length === 0) return undefined;
    return this.store.getView(VIEW_NAME, cacheKeys, TimelineSnapshotSchema);
  }

  /** False when nothing was stored: a part changed in the cache meanwhile, or no part is cached. */
  async save(parts: readonly SnapshotPart[], entries: readonly TimelineEntry[]): Promise<boolean> {
    if (parts.length === 0) return false;
    const members: ViewMember[] = parts.map((p) => ({ patientKey: p.cacheKey, revision: p.revision }));
    const syncedAt: Record<string, string> = {};
    for (const p of parts) if (p.syncedAt) syncedAt[p.cacheKey] = p.syncedAt;
    const snapshot: TimelineSnapshot = { entries: firstScreenOf(entries), totalEntries: entries.length, syncedAt };
    return this.store.putView(VIEW_NAME, members, snapshot);
  }
}
