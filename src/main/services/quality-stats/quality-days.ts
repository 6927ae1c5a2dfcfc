import { z } from 'zod';
import type { CacheStore } from '../cache/index.ts';
import { encodeAad, open, seal } from '../keys/index.ts';

export const DAY_MS = 86_400_000;
/** Days of findings kept; older days are overwritten in place. */
export const RETENTION_DAYS = 30;
/** The retention, today, and a spare so a day is never read while its slot is being reused. */
const SLOTS = RETENTION_DAYS + 2;

export type QualityStateStore = Pick<CacheStore, 'deriveServiceKey' | 'readServiceState' | 'updateServiceState'>;

const count = z.number().int().nonnegative();

/**
 * One patient's record as last assessed that day: findings per source and kind, unmapped codes
 * as [source, system, code, count], and a few samples as [source, kind, resource type, field path].
 * Keyed by a masked reference, so a record opened ten times a day counts once.
 */
const ContributionSchema = z.object({
  counts: z.record(z.string(), z.record(z.string(), count)),
  unmapped: z.array(z.tuple([z.string(), z.string(), z.string(), count])),
  samples: z.array(z.tuple([z.string(), z.string(), z.string(), z.string()])),
});
export type Contribution = z.infer<typeof ContributionSchema>;

const DaySchema = z.object({ day: z.number().int(), patients: z.record(z.string(), ContributionSchema) });
export type QualityDay = z.infer<typeof DaySchema>;

export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

/**
 * The per-day aggregates as a ring of slots in the encrypted cache's service state, each sealed
 * (AES-256-GCM) under a key derived for this purpose, as the source-health history is: counts,
 * codes, field paths and masked references only — sealed all the same.
 */
export function qualityDays(store: QualityStateStore, onUnreadable: (detail: string) => void) {
  const key = store.deriveServiceKey('huizhen-quality-stats/v1');
  const purposeOf = (day: number) => `quality-stats/v1/slot-${((day % SLOTS) + SLOTS) % SLOTS}`;
  const aadOf = (purpose: string) => encodeAad('huizhen-quality-stats', [purpose]);
  return {
    /** The day as stored, or an empty one when its slot holds another day (or nothing readable). */
    read(day: number): QualityDay {
      const purpose = purposeOf(day);
      const bytes = store.readServiceState(purpose);
      if (!bytes) return { day, patients: {} };
      try {
        const parsed = DaySchema.safeParse(JSON.parse(open(key, bytes, aadOf(purpose), purpose).toString('utf8')));
        if (parsed.success) return parsed.data.day === day ? parsed.data : { day, patients: {} };
        onUnreadable(`${purpose}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      } catch (error) {
        onUnreadable(`${purpose}: ${error instanceof Error ? error.message : String(error)}`);
      }
      return { day, patients: {} };
    },
    write(value: QualityDay): void {
      const purpose = purposeOf(value.day);
      store.updateServiceState(purpose, () => seal(key, Buffer.from(JSON.stringify(value), 'utf8'), aadOf(purpose)));
    },
  };
}
