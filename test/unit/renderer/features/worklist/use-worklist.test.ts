import { describe, expect, it } from 'vitest';
import type { WorklistResponse } from '../../../../../src/shared/api/worklist.ts';
import { rereadInTurn, withList } from '../../../../../src/renderer/features/worklist/use-worklist.ts';

describe('the worklist re-reads in turn', () => {
  it('one read at a time and at most one waiting, however many signals arrive while it runs', async () => {
    let reads = 0;
    const pending: (() => void)[] = [];
    const reread = rereadInTurn(() => {
      reads += 1;
      return new Promise<void>((resolve) => pending.push(resolve));
    });
    for (let i = 0; i < 50; i++) reread();
    expect(reads).toBe(1);
    pending.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(reads).toBe(2);
    pending.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(reads).toBe(2);
    reread();
    expect(reads).toBe(3);
  });

  it('a failed read does not stop the next', async () => {
    let reads = 0;
    const reread = rereadInTurn(async () => {
      reads += 1;
      throw new Error('offline');
    });
    reread();
    await new Promise((r) => setTimeout(r, 0));
    reread();
    expect(reads).toBe(2);
  });
});

describe('a re-read from the cache', () => {
  const list = (over: Partial<WorklistResponse>): WorklistResponse => ({ rows: [], wards: ['CARD-1'], from: 'cache', asOf: '', ...over });
  it('keeps the census failures of the last live listing (it asked no census source itself)', () => {
    const live = list({ from: 'systems', censusFailures: [{ sourceId: 'his', code: 'server-error' }] });
    const next = withList({ status: 'shown', list: live, live: false }, list({ asOf: 'later' }));
    expect(next).toMatchObject({ status: 'shown', list: { asOf: 'later', censusFailures: [{ sourceId: 'his', code: 'server-error' }] } });
    expect(withList({ status: 'shown', list: list({}), live: false }, list({ asOf: 'later' }))).not.toHaveProperty('list.censusFailures');
  });

  it('keeps who answered the last live census and when a failed one last did, so an empty list stays "could not be read" or "as of"', () => {
    const live = list({
      from: 'systems',
      censusAnsweredBy: [],
      censusFailures: [{ sourceId: 'cdr', code: 'timeout', lastAnsweredAt: '2026-12-06T06:05:00Z' }],
    });
    expect(withList({ status: 'shown', list: live, live: false }, list({ asOf: 'later' }))).toMatchObject({
      list: { asOf: 'later', censusAnsweredBy: [], censusFailures: [{ sourceId: 'cdr', lastAnsweredAt: '2026-12-06T06:05:00Z' }] },
    });
  });
});
