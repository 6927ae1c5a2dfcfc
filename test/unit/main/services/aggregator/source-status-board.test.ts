import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../../../src/adapters/source-error.ts';
import { SourceStatusBoard } from '../../../../../src/main/services/aggregator/index.ts';
import { fhirCensusQuery } from '../../../../../src/main/services/worklist/index.ts';
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

describe('SourceStatusBoard.watch (calls made by other features: the census, the results query)', () => {
  it('a census query that fails shows the source failed, with the reason', async () => {
    const { board } = boardAt(0);
    const census = fhirCensusQuery([
      {
        id: 'lis',
        adapter: {
          fetchCensus: () =>
            board.watch('lis', policy, () => Promise.reject(new SourceError('timeout', 'lis', 'LIS did not answer', { timeoutMs: 8_000 }))),
        },
      },
    ]);
    const answers = await census({ wards: ['W1'] }, new AbortController().signal);
    expect(answers.failures).toMatchObject([{ sourceId: 'lis', code: 'timeout' }]);
    expect(board.get('lis')).toMatchObject({ state: 'failed', error: { code: 'timeout' } });
  });

  it('a census query still out shows loading, not "never asked"; its answer settles it with the count', async () => {
    const { board } = boardAt(0);
    const answer = Promise.withResolvers<number[]>();
    const watched = board.watch(
      'lis',
      policy,
      () => answer.promise,
      (found) => found.length,
    );
    expect(board.get('lis')?.state).toBe('loading');
    answer.resolve([1, 2]);
    await watched;
    expect(board.get('lis')).toMatchObject({ state: 'ok', entryCount: 2 });
  });

  it('a failure that is not a SourceError still reads as failed, and the caller still hears the error', async () => {
    const { board } = boardAt(0);
    await expect(board.watch('lis', policy, () => Promise.reject(new Error('socket closed')))).rejects.toThrow('socket closed');
    expect(board.get('lis')).toMatchObject({ state: 'failed', error: { code: 'protocol' } });
  });

  it('a source not on the board is called unwatched', async () => {
    const { board } = boardAt(0);
    await expect(board.watch('pacs', policy, () => Promise.resolve('x'))).resolves.toBe('x');
    expect(board.get('pacs')).toBeUndefined();
  });
});

describe('SourceStatusBoard: answers with warnings', () => {
  it('an answer carries its warnings; the next call, a failure or a cached stand-in clears them', () => {
    const { board } = boardAt(0);
    const warnings = [{ code: 'record-skipped' as const, count: 2 }];
    board.markLoading('lis');
    expect(board.record('lis', { ok: true, value: [], latencyMs: 10, attempts: 1 }, policy, 1, warnings)).toMatchObject({
      state: 'ok',
      warnings,
    });
    expect(board.markLoading('lis').warnings).toBeUndefined();
    board.record('lis', { ok: true, value: [], latencyMs: 10, attempts: 1 }, policy, 1, warnings);
    board.markLoading('lis');
    const error = new SourceError('server-error', 'lis', 'LIS failed');
    expect(board.record('lis', { ok: false, error, latencyMs: 10, attempts: 1 }, policy).warnings).toBeUndefined();
    board.markLoading('lis');
    expect(board.record('lis', { ok: true, value: [], latencyMs: 10, attempts: 1 }, policy, 1, []).warnings).toBeUndefined();
    board.record('lis', { ok: true, value: [], latencyMs: 10, attempts: 1 }, policy, 1, warnings);
    board.markLoading('lis');
    expect(board.recordServedFromCache('lis', new Date(0).toISOString()).warnings).toBeUndefined();
  });
});
