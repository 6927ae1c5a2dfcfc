import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../../../src/adapters/source-error.ts';
import { callSource } from '../../../../../src/main/services/aggregator/call-source.ts';
import { backoffDelayMs } from '../../../../../src/main/services/aggregator/resilience-policy.ts';

const source = { id: 'his', name: 'HIS', kind: 'fhir' as const };
const noJitter = { baseMs: 10, maxMs: 100, random: () => 1 };

describe('callSource', () => {
  it('returns the value and counts one attempt when the read succeeds', async () => {
    const outcome = await callSource(source, { timeoutMs: 1000, retries: 2, slowMs: 500 }, new AbortController().signal, async () => 42);
    expect(outcome).toMatchObject({ ok: true, value: 42, attempts: 1 });
  });

  it('retries transient failures with backoff, then succeeds', async () => {
    let calls = 0;
    const outcome = await callSource(
      source,
      { timeoutMs: 2000, retries: 2, slowMs: 500 },
      new AbortController().signal,
      async () => {
        calls += 1;
        if (calls < 3) throw new SourceError('server-error', 'his', 'HTTP 503');
        return 'ok';
      },
      { backoff: noJitter },
    );
    expect(outcome).toMatchObject({ ok: true, value: 'ok', attempts: 3 });
  });

  it('does not retry permanent failures such as 401', async () => {
    let calls = 0;
    const outcome = await callSource(source, { timeoutMs: 2000, retries: 3, slowMs: 500 }, new AbortController().signal, async () => {
      calls += 1;
      throw new SourceError('unauthorized', 'his', 'HTTP 401');
    });
    expect(calls).toBe(1);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe('unauthorized');
  });

  it('cuts a hanging source at its deadline with a timeout error naming it', async () => {
    const started = Date.now();
    const outcome = await callSource(
      source,
      { timeoutMs: 150, retries: 0, slowMs: 100 },
      new AbortController().signal,
      (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe('timeout');
      expect(outcome.error.message).toContain('HIS did not answer within 150 ms');
    }
  });

  it('reports a cancelled read as aborted, not as a failure of the source', async () => {
    const caller = new AbortController();
    const pending = callSource(
      source,
      { timeoutMs: 5000, retries: 2, slowMs: 100 },
      caller.signal,
      (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    );
    caller.abort();
    const outcome = await pending;
    expect(outcome.ok === false && outcome.error.code).toBe('aborted');
  });

  it('wraps an adapter defect (a non-SourceError) as a protocol error instead of crashing', async () => {
    const outcome = await callSource(source, { timeoutMs: 1000, retries: 0, slowMs: 100 }, new AbortController().signal, async () => {
      throw new TypeError('cannot read properties of undefined');
    });
    expect(outcome.ok === false && outcome.error.code).toBe('protocol');
  });

  it('honours Retry-After when it fits the deadline and gives up when it does not', async () => {
    let calls = 0;
    const outcome = await callSource(
      source,
      { timeoutMs: 300, retries: 3, slowMs: 100 },
      new AbortController().signal,
      async () => {
        calls += 1;
        throw new SourceError('rate-limited', 'his', 'HTTP 429', { retryAfterMs: 10_000 });
      },
      { backoff: noJitter },
    );
    expect(calls).toBe(1);
    expect(outcome.ok === false && outcome.error.code).toBe('rate-limited');
  });
});

describe('backoffDelayMs', () => {
  it('grows exponentially up to the cap, scaled by jitter', () => {
    const full = { baseMs: 100, maxMs: 1000, random: () => 0.999999 };
    expect(backoffDelayMs(0, full)).toBe(99);
    expect(backoffDelayMs(2, full)).toBe(399);
    expect(backoffDelayMs(10, full)).toBe(999);
    expect(backoffDelayMs(3, { ...full, random: () => 0 })).toBe(0);
  });
});
