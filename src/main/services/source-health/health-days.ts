import { z } from 'zod';
import { DAY_MS } from '../cache/index.ts';
import { BUCKET_LENGTH, FINE_BUCKET_MS, type Bucket } from './buckets.ts';

/** Days of history kept; older days are overwritten in place. */
export const RETENTION_DAYS = 30;
export const FINE_BUCKETS_PER_DAY = DAY_MS / FINE_BUCKET_MS;

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

export function bucketIn(day: HealthDay, sourceId: string, index: number): Bucket {
  const buckets = (day.sources[sourceId] ??= {});
  return (buckets[index] ??= new Array<number>(BUCKET_LENGTH).fill(0));
}

/** A stored day checked: its buckets, or what is wrong with it (counts and latencies per source, no patient data). */
export function checkHealthDay(json: unknown): { value: HealthDay } | { problem: string } {
  const parsed = DaySchema.safeParse(json);
  if (!parsed.success) return { problem: parsed.error.issues[0]?.message ?? 'invalid' };
  return bucketsValid(parsed.data) ? { value: parsed.data } : { problem: `a bucket is not ${BUCKET_LENGTH} non-negative numbers` };
}
