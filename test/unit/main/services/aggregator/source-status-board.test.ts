import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../../../src/adapters/source-error.ts';
import { SourceStatusBoard } from '../../../../../src/main/services/aggregator/index.ts';
import type { SourceStatus } from '../../../../../src/shared/domain/source.ts';

const LIS = { id: 'lis', name: 'LIS', kind: 'hl7v2' as const };
const policy = { timeoutMs: 10_000, retries: 0, slowMs: 2_000 };

function boardAt(start: number) {
  let now = start;
  const board = new SourceStatusBoard([LIS], () => new Date(now));
  const heard: SourceStatus[] = [];
  board.onChange((s) => heard.push(s));
  return { board, heard, advance: (ms: number) => (now += ms) };
}

describe('SourceStatusBoard', () => {
  it('reads "never asked" until a call is made', () => {
    const { board } = boardAt(0);
    expect(board.get('lis')?.state).toBe('idle');
  });

  it('an older call that succeeds while a newer one hangs keeps the source waiting since the newer one began', () => {
    const { board, heard, advance } = boardAt(1_000_000);
    board.markLoading('lis'); // the open, before the freeze
    advance(500);
    board.markLoading('lis'); // the search, into the freeze
    const hungSince = new Date(1_000_500).toISOString();
    advance(1_500);
    const own = board.record('lis', { ok: true, value: [], latencyMs: 2_000, attempts: 1 }, policy, 3);
    // The open keeps its own answer; the bar hears that the LIS is still keeping a call waiting.
    expect(own.state).toBe('ok');
    expect(board.get('lis')).toMatchObject({ state: 'loading', loadingSince: hungSince, lastSuccessAt: new Date(1_002_000).toISOString() });
    expect(heard.at(-1)?.state).toBe('loading');
    advance(8_000);
    const error = new SourceError('timeout', 'lis', 'LIS did not answer', { timeoutMs: 9_500 });
    board.record('lis', { ok: false, error, latencyMs: 9_500, attempts: 1 }, policy);
    expect(board.get('lis')).toMatchObject({ state: 'failed', error: { code: 'timeout' } });
    expect(board.get('lis')?.loadingSince).toBeUndefined();
  });

  it('a success with nothing else outstanding is ok, or slow past the threshold', () => {
    const { board, advance } = boardAt(0);
    board.markLoading('lis');
    advance(2_500);
    expect(board.record('lis', { ok: true, value: [], latencyMs: 2_500, attempts: 1 }, policy).state).toBe('slow');
    board.markLoading('lis');
    advance(100);
    expect(board.record('lis', { ok: true, value: [], latencyMs: 100, attempts: 1 }, policy).state).toBe('ok');
  });

  it('a part served from the cache while another call is out still shows the wait', () => {
    const { board, advance } = boardAt(0);
    board.markLoading('lis');
    advance(100);
    board.markLoading('lis');
    advance(5_000);
    const error = new SourceError('unreachable', 'lis', 'refused').toInfo();
    const own = board.recordServedFromCache('lis', '2026-12-06T14:05:00.000Z', error, 5_100);
    expect(own.state).toBe('cached');
    expect(board.get('lis')).toMatchObject({ state: 'loading', loadingSince: new Date(100).toISOString() });
    board.recordServedFromCache('lis', '2026-12-06T14:05:00.000Z', error, 5_000);
    expect(board.get('lis')).toMatchObject({ state: 'cached', cachedAsOf: '2026-12-06T14:05:00.000Z', error: { code: 'unreachable' } });
  });
});
