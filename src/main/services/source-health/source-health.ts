import type { SourceCallRecord } from '../aggregator/index.ts';
import { addCall, emptyBucket, figuresOf, FINE_BUCKET_MS, HOUR_BUCKET_MS, mergeInto, type Bucket, type BucketFigures } from './buckets.ts';
import { DAY_MS, dayOf, openSealedDays, type DayStateStore } from '../cache/index.ts';
import { bucketIn, checkHealthDay, FINE_BUCKETS_PER_DAY, RETENTION_DAYS, type HealthDay } from './health-days.ts';

/** "The last hours" in five-minute buckets, or "the last days" in hourly ones. */
export type HealthRange = '24h' | '30d';

export interface SourceSeries {
  sourceId: string;
  totals: BucketFigures;
  /** One value per bucket start; latencies are null where no call was timed. */
  calls: number[];
  errors: number[];
  timeouts: number[];
  trips: number[];
  rateLimited: number[];
  p50Ms: (number | null)[];
  p95Ms: (number | null)[];
}

export interface HealthHistory {
  range: HealthRange;
  bucketMs: number;
  /** Bucket starts (epoch ms), oldest first; the last one holds now. */
  starts: number[];
  history: SourceSeries[];
}

export interface SourceHealthOptions {
  /** Configured source ids, in display order: a source with no call yet still has a (flat) series. */
  sourceIds: readonly string[];
  /** The encrypted cache's service state; without it the history lives in memory until the process ends. */
  store?: DayStateStore;
  clock?: () => number;
  /** How often changed days are written (default one minute); close() writes the rest. */
  flushEveryMs?: number;
  log?: (line: string) => void;
}

export interface SourceHealth {
  record(call: SourceCallRecord): void;
  history(range: HealthRange): HealthHistory;
  /** Writes the days changed since the last write. */
  flush(): void;
  close(): void;
}

const RANGES: Readonly<Record<HealthRange, { bucketMs: number; buckets: number }>> = {
  '24h': { bucketMs: FINE_BUCKET_MS, buckets: DAY_MS / FINE_BUCKET_MS },
  '30d': { bucketMs: HOUR_BUCKET_MS, buckets: (RETENTION_DAYS * DAY_MS) / HOUR_BUCKET_MS },
};

/**
 * Each source's health over time, from the aggregator's per-call outcomes: counts, timeouts,
 * circuit trips, rate-limit hits and a latency histogram per source per five minutes, kept 30 days
 * in the encrypted cache. Hourly figures are merged from the five-minute buckets when asked.
 */
export function createSourceHealth(options: SourceHealthOptions): SourceHealth {
  const clock = options.clock ?? Date.now;
  const days = openSealedDays<HealthDay>(options.store, {
    name: 'source-health',
    label: 'source health',
    retentionDays: RETENTION_DAYS,
    check: checkHealthDay,
    empty: (day) => ({ day, sources: {} }),
    dayOfValue: (value) => value.day,
    ...(options.flushEveryMs !== undefined ? { flushEveryMs: options.flushEveryMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });

  function history(range: HealthRange): HealthHistory {
    const { bucketMs, buckets } = RANGES[range];
    const now = clock();
    days.forgetBefore(dayOf(now) - RETENTION_DAYS);
    const first = Math.floor(now / bucketMs) * bucketMs - (buckets - 1) * bucketMs;
    const starts = Array.from({ length: buckets }, (_, i) => first + i * bucketMs);
    const perSource = new Map(options.sourceIds.map((id) => [id, { total: emptyBucket(), slots: starts.map(() => emptyBucket()) }]));
    for (let day = dayOf(first); day <= dayOf(now); day++) {
      for (const [sourceId, fine] of Object.entries(days.at(day).sources)) {
        const target = perSource.get(sourceId);
        if (!target) continue;
        for (const [index, bucket] of Object.entries(fine)) {
          const slot = Math.floor((day * DAY_MS + Number(index) * FINE_BUCKET_MS - first) / bucketMs);
          if (slot < 0 || slot >= buckets) continue;
          mergeInto(target.slots[slot]!, bucket);
          mergeInto(target.total, bucket);
        }
      }
    }
    return { range, bucketMs, starts, history: [...perSource].map(([sourceId, { total, slots }]) => seriesOf(sourceId, total, slots)) };
  }

  return {
    record(call) {
      const day = dayOf(call.at);
      addCall(bucketIn(days.at(day), call.sourceId, Math.floor((call.at - day * DAY_MS) / FINE_BUCKET_MS) % FINE_BUCKETS_PER_DAY), call);
      days.changed(day);
    },
    history,
    flush: days.flush,
    close: days.close,
  };
}

function seriesOf(sourceId: string, total: Bucket, slots: readonly Bucket[]): SourceSeries {
  const figures = slots.map(figuresOf);
  return {
    sourceId,
    totals: figuresOf(total),
    calls: figures.map((f) => f.calls),
    errors: figures.map((f) => f.errors),
    timeouts: figures.map((f) => f.timeouts),
    trips: figures.map((f) => f.trips),
    rateLimited: figures.map((f) => f.rateLimited),
    p50Ms: figures.map((f) => f.p50Ms ?? null),
    p95Ms: figures.map((f) => f.p95Ms ?? null),
  };
}
