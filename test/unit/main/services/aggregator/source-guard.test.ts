import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../../../src/adapters/source-error.ts';
import { CircuitBreaker } from '../../../../../src/main/services/aggregator/circuit-breaker.ts';
import { ConcurrencyLimiter } from '../../../../../src/main/services/aggregator/concurrency-limiter.ts';
import { RateLimiter } from '../../../../../src/main/services/aggregator/rate-limiter.ts';
import { SourceGuard } from '../../../../../src/main/services/aggregator/index.ts';
import { callSource } from '../../../../../src/main/services/aggregator/call-source.ts';

const source = { id: 'his', name: 'HIS', kind: 'hl7v2' as const };

describe('CircuitBreaker', () => {
  it('opens after the threshold, lets one probe through after the pause, closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, resetMs: 1000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.onFailure();
    }
    expect(breaker.currentState).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.retryInMs()).toBe(1000);
    now = 1000;
    expect(breaker.currentState).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false); // one probe at a time
    breaker.onSuccess();
    expect(breaker.currentState).toBe('closed');
  });

  it('re-opens at once when the probe fails', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetMs: 500, now: () => now });
    breaker.onFailure();
    now = 600;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure();
    expect(breaker.currentState).toBe('open');
    expect(breaker.retryInMs()).toBe(500);
  });

  it('a success between failures resets the count', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, resetMs: 1000 });
    breaker.onFailure();
    breaker.onSuccess();
    breaker.onFailure();
    expect(breaker.currentState).toBe('closed');
  });
});

describe('ConcurrencyLimiter', () => {
  it('caps requests in flight and hands slots over in order', async () => {
    const limiter = new ConcurrencyLimiter(2);
    const signal = new AbortController().signal;
    const r1 = await limiter.acquire(signal);
    await limiter.acquire(signal);
    const order: number[] = [];
    const third = limiter.acquire(signal).then((r) => (order.push(3), r));
    const fourth = limiter.acquire(signal).then((r) => (order.push(4), r));
    expect(limiter.waiting).toBe(2);
    r1();
    r1(); // releasing twice frees one slot only
    await third;
    expect(limiter.inFlight).toBe(2);
    expect(order).toEqual([3]);
    (await third)();
    await fourth;
    expect(order).toEqual([3, 4]);
  });

  it('a waiter whose request is cancelled leaves the queue', async () => {
    const limiter = new ConcurrencyLimiter(1);
    await limiter.acquire(new AbortController().signal);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('patient closed'));
    await expect(waiting).rejects.toThrow('patient closed');
    expect(limiter.waiting).toBe(0);
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then paces requests at the configured rate', () => {
    let now = 0;
    const bucket = new RateLimiter({ ratePerSecond: 10, burst: 2, now: () => now });
    const signal = new AbortController().signal;
    void bucket.take(signal);
    void bucket.take(signal);
    expect(bucket.waitMs()).toBe(100);
    now = 50;
    expect(bucket.waitMs()).toBe(50);
    now = 100;
    expect(bucket.waitMs()).toBe(0);
  });
});

describe('SourceGuard in callSource', () => {
  const guardOptions = {
    circuitBreaker: { failureThreshold: 2, resetMs: 60_000 },
    maxConcurrent: 2,
    rateLimit: { ratePerSecond: 1000, burst: 1000 },
  };
  const policy = { timeoutMs: 1000, retries: 0, slowMs: 500 };

  it('after repeated system failures the source fails fast with circuit-open, without being called', async () => {
    const guard = new SourceGuard(source, guardOptions);
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw new SourceError('unreachable', 'his', 'connection refused');
    };
    for (let i = 0; i < 2; i++) await callSource(source, policy, new AbortController().signal, failing, { guard });
    const outcome = await callSource(source, policy, new AbortController().signal, failing, { guard });
    expect(calls).toBe(2);
    expect(outcome.ok === false && outcome.error.code).toBe('circuit-open');
    expect(outcome.ok === false && outcome.error.message).toMatch(/HIS failed repeatedly; paused, next try in \d+ s/);
  });

  it('answers such as 404 or 401 do not open the circuit', async () => {
    const guard = new SourceGuard(source, guardOptions);
    for (let i = 0; i < 5; i++) {
      await callSource(
        source,
        policy,
        new AbortController().signal,
        async () => {
          throw new SourceError('not-found', 'his', 'no such patient');
        },
        { guard },
      );
    }
    expect(guard.breaker.currentState).toBe('closed');
  });

  it('releases its concurrency slot whatever the outcome', async () => {
    const guard = new SourceGuard(source, { ...guardOptions, maxConcurrent: 1 });
    await callSource(
      source,
      policy,
      new AbortController().signal,
      async () => {
        throw new SourceError('server-error', 'his', '500');
      },
      { guard },
    );
    const ok = await callSource(source, policy, new AbortController().signal, async () => 'fine', { guard });
    expect(ok.ok).toBe(true);
    expect(guard.limiter.inFlight).toBe(0);
  });
});
