import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../../../src/adapters/source-error.ts';
import { SourceGuard, type SourceCallRecord } from '../../../../../src/main/services/aggregator/index.ts';
import { callSource } from '../../../../../src/main/services/aggregator/call-source.ts';

const source = { id: 'his', name: 'HIS', kind: 'hl7v2' as const };
const policy = { timeoutMs: 2000, retries: 0, slowMs: 500 };

function watchedGuard(options: Partial<ConstructorParameters<typeof SourceGuard>[1]> = {}) {
  const guard = new SourceGuard(source, {
    circuitBreaker: { failureThreshold: 2, resetMs: 60_000 },
    maxConcurrent: 4,
    rateLimit: { ratePerSecond: 1000, burst: 10 },
    ...options,
  });
  const calls: SourceCallRecord[] = [];
  guard.onCall((c) => calls.push(c));
  return { guard, calls };
}

describe('per-call outcomes the guard reports', () => {
  it('reports each settled call once, with the call that opened the circuit marked as the trip', async () => {
    const { guard, calls } = watchedGuard();
    const fail = async () => {
      throw new SourceError('unreachable', 'his', 'refused');
    };
    const signal = new AbortController().signal;
    await callSource(source, policy, signal, async () => 1, { guard });
    await callSource(source, policy, signal, fail, { guard });
    await callSource(source, policy, signal, fail, { guard });
    await callSource(source, policy, signal, fail, { guard });
    expect(calls.map((c) => [c.ok, c.errorCode, c.tripped])).toEqual([
      [true, undefined, false],
      [false, 'unreachable', false],
      [false, 'unreachable', true],
      [false, 'circuit-open', false],
    ]);
    expect(calls.every((c) => c.sourceId === 'his' && c.attempts === 1 && c.latencyMs >= 0)).toBe(true);
  });

  it('marks calls that waited for the rate limit or were answered "too many requests"', async () => {
    const { guard, calls } = watchedGuard({ rateLimit: { ratePerSecond: 50, burst: 1 } });
    const signal = new AbortController().signal;
    await callSource(source, policy, signal, async () => 1, { guard });
    await callSource(source, policy, signal, async () => 1, { guard });
    await callSource(
      source,
      policy,
      signal,
      async () => {
        throw new SourceError('rate-limited', 'his', '429');
      },
      { guard },
    );
    expect(calls.map((c) => c.rateLimited)).toEqual([false, true, true]);
  });

  it('a failing listener never fails the read', async () => {
    const { guard } = watchedGuard();
    guard.onCall(() => {
      throw new Error('listener broke');
    });
    const outcome = await callSource(source, policy, new AbortController().signal, async () => 7, { guard });
    expect(outcome).toMatchObject({ ok: true, value: 7 });
  });
});
