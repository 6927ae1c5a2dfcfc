import { describe, expect, it } from 'vitest';
import { createDecodedTally } from '../../../../../src/renderer/features/imaging/decoded-tally.ts';

const ids = ['wadors:a/1', 'wadors:a/2', 'wadors:a/3'];

describe('decoded tally', () => {
  it('counts each of the stack’s frames once, whatever else the cache loads', () => {
    const tally = createDecodedTally(ids, () => false);
    expect(tally.total).toBe(3);
    expect(tally.loaded('wadors:a/2')).toBe(true);
    expect(tally.loaded('wadors:a/2')).toBe(false);
    expect(tally.loaded('wadors:prior/1')).toBe(false);
    expect(tally.count).toBe(1);
  });

  it('starts from the frames already decoded (a series shown again)', () => {
    const tally = createDecodedTally(ids, (id) => id !== 'wadors:a/3');
    expect(tally.count).toBe(2);
    expect(tally.loaded('wadors:a/3')).toBe(true);
    expect(tally.count).toBe(tally.total);
  });

  it('forgets a frame the cache evicted, so "all decoded" stays true to the cache', () => {
    const tally = createDecodedTally(ids, () => true);
    expect(tally.removed('wadors:a/1')).toBe(true);
    expect(tally.removed('wadors:a/1')).toBe(false);
    expect(tally.count).toBe(2);
  });
});
