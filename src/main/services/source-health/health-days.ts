import { z } from 'zod';
import type { CacheStore } from '../cache/index.ts';
import { encodeAad, open, seal } from '../keys/index.ts';
import { BUCKET_LENGTH, FINE_BUCKET_MS, type Bucket } from './buckets.ts';

export const DAY_MS = 86_400_000;
/** Days of history kept; older days are overwritten in place. */
export const RETENTION_DAYS = 30;
/** Slots in the ring: the retention, today, and one spare so a day is never read while being reused. */
const SLOTS = RETENTION_DAYS + 2;
export const FINE_BUCKETS_PER_DAY = DAY_MS / FINE_BUCKET_MS;

export type HealthStateStore = Pick<CacheStore, 'deriveServiceKey' | 'readServiceState' | 'updateServiceState'>;

/**
 * One day of one workstation's source health: per source, its five-minute buckets by index
 * within the day. The buckets are checked by a plain loop, not per number by the schema: a month
 * holds over a million numbers, and the console's first read of them is on the clock.
 */
const DaySchema = z.object({
  day: z.number().int(),
  sources: z.record(z.string(), z.record(z.string(), z.array(z.unknown()))),
});
export type HealthDay = { day: number; sources: Record<string, Record<string, number[]>> };

function bucketsValid(day: z.infer<typeof DaySchema>): day is HealthDay {
  for (const buckets of Object.values(day.sources)) {
    for (const bucket of Object.values(buckets)) {
      if (bucket.length !== BUCKET_LENGTH) return false;
      for (const n of bucket) if (typeof n !== 'number' || !(n >= 0)) return false;
    }
  }
  return true;
}

export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

export function bucketIn(day: HealthDay, sourceId: string, index: number): Bucket {
  const buckets = (day.sources[sourceId] ??= {});
  return (buckets[index] ??= new Array<number>(BUCKET_LENGTH).fill(0));
}

/**
 * The history as a ring of day slots in the encrypted cache's service state, each sealed
 * (AES-256-GCM) under a key derived for this purpose: a write touches only the day it changes,
 * and retention needs no delete — day d reuses the slot of day d − SLOTS. It holds counts and
 * latencies per source, no patient data; sealed all the same, as everything the cache keeps is.
 */
export function healthDays(store: HealthStateStore, onUnreadable: (detail: string) => void) {
  const key = store.deriveServiceKey('huizhen-source-health/v1');
  const purposeOf = (day: number) => `source-health/v1/slot-${((day % SLOTS) + SLOTS) % SLOTS}`;
  const aadOf = (purpose: string) => encodeAad('huizhen-source-health', [purpose]);
  return {
    /** The day as stored, or an empty one when its slot holds another day (or nothing readable). */
    read(day: number): HealthDay {
      const purpose = purposeOf(day);
      const bytes = store.readServiceState(purpose);
      if (!bytes) return { day, sources: {} };
      try {
        const parsed = DaySchema.safeParse(JSON.parse(open(key, bytes, aadOf(purpose), purpose).toString('utf8')));
        if (parsed.success && bucketsValid(parsed.data)) return parsed.data.day === day ? parsed.data : { day, sources: {} };
        const problem = parsed.success ? `a bucket is not ${BUCKET_LENGTH} non-negative numbers` : parsed.error.issues[0]?.message;
        onUnreadable(`${purpose}: ${problem ?? 'invalid'}`);
      } catch (error) {
        onUnreadable(`${purpose}: ${error instanceof Error ? error.message : String(error)}`);
      }
      return { day, sources: {} };
    },
    write(value: HealthDay): void {
      const purpose = purposeOf(value.day);
      store.updateServiceState(purpose, () => seal(key, Buffer.from(JSON.stringify(value), 'utf8'), aadOf(purpose)));
    },
  };
}
