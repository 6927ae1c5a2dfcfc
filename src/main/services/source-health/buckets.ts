import type { SourceCallRecord } from '../aggregator/index.ts';

/** The finest bucket kept: five minutes, so "the last hours" show a spike's shape. */
export const FINE_BUCKET_MS = 5 * 60_000;
/** The bucket the days are drawn in. */
export const HOUR_BUCKET_MS = 60 * 60_000;

/**
 * Upper bounds (ms) of the latency histogram's bins; the last bin is open-ended. Percentiles of
 * merged buckets come from merged histograms (a count and a latency sum per bin), which is why
 * raw latencies are never kept.
 */
export const LATENCY_BOUNDS_MS = [10, 25, 50, 100, 200, 400, 800, 1_500, 3_000, 6_000, 12_000, 30_000] as const;

/** Where each counter sits in a bucket's number array (compact in the sealed JSON). */
const CALLS = 0;
const ERRORS = 1;
const TIMEOUTS = 2;
const TRIPS = 3;
const RATE_LIMITED = 4;
const HISTOGRAM = 5;
const BINS = LATENCY_BOUNDS_MS.length + 1;
const SUMS = HISTOGRAM + BINS;
export const BUCKET_LENGTH = SUMS + BINS;

/** One source's calls in one time bucket: counters, the latency histogram's counts, then each bin's latency sum. */
export type Bucket = number[];

export const emptyBucket = (): Bucket => new Array<number>(BUCKET_LENGTH).fill(0);

function binOf(latencyMs: number): number {
  const i = LATENCY_BOUNDS_MS.findIndex((bound) => latencyMs <= bound);
  return i === -1 ? LATENCY_BOUNDS_MS.length : i;
}

/**
 * Adds one call. A cancelled call (the clinician moved on) says nothing about the source and is
 * not counted; a refusal by the open circuit is an error, as the clinician saw it.
 */
export function addCall(bucket: Bucket, call: SourceCallRecord): void {
  if (call.errorCode === 'aborted') return;
  bucket[CALLS]! += 1;
  if (!call.ok) bucket[ERRORS]! += 1;
  if (call.errorCode === 'timeout') bucket[TIMEOUTS]! += 1;
  if (call.tripped) bucket[TRIPS]! += 1;
  if (call.rateLimited) bucket[RATE_LIMITED]! += 1;
  // Refusals by the open circuit took no time at the source: they would pull the percentiles down.
  if (call.errorCode !== 'circuit-open') {
    const bin = binOf(call.latencyMs);
    bucket[HISTOGRAM + bin]! += 1;
    bucket[SUMS + bin]! += Math.round(call.latencyMs);
  }
}

export function mergeInto(target: Bucket, from: readonly number[]): void {
  for (let i = 0; i < BUCKET_LENGTH; i++) target[i]! += from[i] ?? 0;
}

/**
 * The latency below which this share of timed calls fell, as the mean of the bin it falls in
 * (exact for a lone call, within the bin's bounds otherwise); undefined without any timed call.
 */
export function percentile(bucket: Bucket, share: number): number | undefined {
  let total = 0;
  for (let bin = 0; bin < BINS; bin++) total += bucket[HISTOGRAM + bin]!;
  if (total === 0) return undefined;
  const rank = share * total;
  let seen = 0;
  for (let bin = 0; bin < BINS; bin++) {
    const count = bucket[HISTOGRAM + bin]!;
    if (count > 0 && seen + count >= rank) return Math.round(bucket[SUMS + bin]! / count);
    seen += count;
  }
  return undefined;
}

export interface BucketFigures {
  calls: number;
  errors: number;
  timeouts: number;
  trips: number;
  rateLimited: number;
  p50Ms?: number;
  p95Ms?: number;
}

export function figuresOf(bucket: Bucket): BucketFigures {
  const p50 = percentile(bucket, 0.5);
  const p95 = percentile(bucket, 0.95);
  return {
    calls: bucket[CALLS]!,
    errors: bucket[ERRORS]!,
    timeouts: bucket[TIMEOUTS]!,
    trips: bucket[TRIPS]!,
    rateLimited: bucket[RATE_LIMITED]!,
    ...(p50 !== undefined ? { p50Ms: p50 } : {}),
    ...(p95 !== undefined ? { p95Ms: p95 } : {}),
  };
}
