import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceCallRecord } from '../../../../../src/main/services/aggregator/index.ts';
import { openCacheStore } from '../../../../../src/main/services/cache/index.ts';
import { createSourceHealth } from '../../../../../src/main/services/source-health/index.ts';
import { addCall, emptyBucket, percentile } from '../../../../../src/main/services/source-health/buckets.ts';
import { tempCacheDir, testProtector } from '../../../../support/cache-fixtures.ts';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

async function cache() {
  const { dir, cleanup } = tempCacheDir('source-health');
  cleanups.push(cleanup);
  const open = () => openCacheStore({ directory: dir, protector: testProtector() });
  return { dir, open };
}

const T0 = Date.parse('2026-12-07T08:00:00Z');
const call = (over: Partial<SourceCallRecord>): SourceCallRecord => ({
  sourceId: 'his',
  at: T0,
  ok: true,
  latencyMs: 100,
  attempts: 1,
  tripped: false,
  rateLimited: false,
  ...over,
});

describe('latency histogram', () => {
  it('gives p50 and p95 within the bin of the true value (a lone call exactly), and none without timed calls', () => {
    const bucket = emptyBucket();
    expect(percentile(bucket, 0.5)).toBeUndefined();
    for (let i = 1; i <= 100; i++) addCall(bucket, call({ latencyMs: i * 10 }));
    // True p50 is 500 ms (bin 400–800), p95 is 950 ms (bin 800–1500).
    expect(percentile(bucket, 0.5)).toBeGreaterThan(400);
    expect(percentile(bucket, 0.5)).toBeLessThanOrEqual(800);
    expect(percentile(bucket, 0.95)).toBeGreaterThan(800);
    expect(percentile(bucket, 0.95)).toBeLessThanOrEqual(1500);
    const lone = emptyBucket();
    addCall(lone, call({ latencyMs: 182 }));
    expect([percentile(lone, 0.5), percentile(lone, 0.95)]).toEqual([182, 182]);
  });

  it('ignores cancelled calls and keeps refusals by the open circuit out of the latencies', () => {
    const bucket = emptyBucket();
    addCall(bucket, call({ ok: false, errorCode: 'aborted', latencyMs: 5 }));
    addCall(bucket, call({ ok: false, errorCode: 'circuit-open', latencyMs: 0 }));
    addCall(bucket, call({ latencyMs: 300 }));
    expect(bucket.slice(0, 2)).toEqual([2, 1]);
    expect(percentile(bucket, 0.5)).toBeGreaterThan(200);
  });
});

describe('source health history', () => {
  it('reads a tampered or malformed day as empty and says so', async () => {
    const { open } = await cache();
    const store = await open();
    cleanups.push(() => store.close());
    const problems: string[] = [];
    const first = createSourceHealth({ sourceIds: ['his'], store, clock: () => T0 });
    first.record(call({}));
    first.close();
    store.updateServiceState('source-health/v1/slot-' + (Math.floor(T0 / 86_400_000) % 32), (bytes) => {
      const flipped = Buffer.from(bytes!);
      flipped[flipped.length - 1]! ^= 1;
      return flipped;
    });
    const second = createSourceHealth({ sourceIds: ['his'], store, clock: () => T0, log: (line) => problems.push(line) });
    cleanups.push(() => second.close());
    expect(second.history('24h').history[0]!.totals.calls).toBe(0);
    expect(problems).toHaveLength(1);
  });

  it('counts errors, timeouts, trips and rate-limit hits per five minutes and per hour', () => {
    let now = T0 + 30 * 60_000;
    const health = createSourceHealth({ sourceIds: ['his', 'lis'], clock: () => now });
    cleanups.push(() => health.close());
    health.record(call({ at: T0 + 60_000, latencyMs: 40 }));
    health.record(call({ at: T0 + 61_000, ok: false, errorCode: 'timeout', latencyMs: 3000 }));
    health.record(call({ at: T0 + 62_000, ok: false, errorCode: 'unreachable', latencyMs: 5, tripped: true }));
    health.record(call({ at: T0 + 20 * 60_000, rateLimited: true, latencyMs: 80 }));
    health.record(call({ at: T0 + 20 * 60_000, sourceId: 'unknown-source' }));

    const day = health.history('24h');
    expect(day.bucketMs).toBe(5 * 60_000);
    expect(day.starts).toHaveLength(288);
    expect(day.starts.at(-1)).toBe(T0 + 30 * 60_000);
    const his = day.history.find((s) => s.sourceId === 'his')!;
    expect(his.totals).toMatchObject({ calls: 4, errors: 2, timeouts: 1, trips: 1, rateLimited: 1 });
    const at = (ms: number) => day.starts.indexOf(ms);
    expect(his.calls[at(T0)]).toBe(3);
    expect(his.calls[at(T0 + 20 * 60_000)]).toBe(1);
    expect(his.p95Ms[at(T0)]).toBeGreaterThan(1500);
    expect(his.p50Ms[at(T0 + 5 * 60_000)]).toBeNull();
    expect(day.history.map((s) => s.sourceId)).toEqual(['his', 'lis']);
    expect(day.history[1]!.totals.calls).toBe(0);

    now = T0 + 3 * 86_400_000;
    const month = health.history('30d');
    expect(month.bucketMs).toBe(3_600_000);
    expect(month.starts).toHaveLength(720);
    const hisMonth = month.history.find((s) => s.sourceId === 'his')!;
    expect(hisMonth.calls[month.starts.indexOf(T0)]).toBe(4);
    expect(health.history('24h').history[0]!.totals.calls).toBe(0);
  });

  it('keeps 30 days in the encrypted cache across a restart, sealed (no source id in the file), and drops older days', async () => {
    const { dir, open } = await cache();
    let now = T0;
    let store = await open();
    let health = createSourceHealth({ sourceIds: ['his'], store, clock: () => now });
    health.record(call({ at: T0 - 29 * 86_400_000, latencyMs: 20 }));
    health.record(call({ at: T0 - 31 * 86_400_000, latencyMs: 20 }));
    health.record(call({ at: T0, ok: false, errorCode: 'server-error' }));
    health.close();
    store.close();
    expect(readFileSync(join(dir, 'cache.db')).includes(Buffer.from('server-error'))).toBe(false);

    store = await open();
    cleanups.push(() => store.close());
    health = createSourceHealth({ sourceIds: ['his'], store, clock: () => now });
    cleanups.push(() => health.close());
    expect(health.history('30d').history[0]!.totals).toMatchObject({ calls: 2, errors: 1 });
    // Day T0+2 reuses the slot of the day 32 days before it: that day is gone, the others stay.
    now = T0 + 2 * 86_400_000;
    health.record(call({ at: now }));
    health.flush();
    expect(health.history('30d').history[0]!.totals.calls).toBe(2);
  });
});
