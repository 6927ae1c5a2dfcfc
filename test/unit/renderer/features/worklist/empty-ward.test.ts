import { describe, expect, it } from 'vitest';
import type { WorklistResponse } from '../../../../../src/shared/api/worklist.ts';
import { emptyWardState } from '../../../../../src/renderer/features/worklist/empty-ward.ts';

const list = (over: Partial<WorklistResponse>): WorklistResponse => ({ rows: [], wards: ['CARD-1'], from: 'systems', asOf: '', ...over });

describe('an empty ward list says what it knows', () => {
  it('every census source hung and none ever answered: unread, naming them — never "no inpatients"', () => {
    expect(emptyWardState(list({ censusAnsweredBy: [], censusFailures: [{ sourceId: 'cdr', code: 'timeout' }] }), false)).toEqual({
      state: 'unread',
      sourceIds: ['cdr'],
    });
  });

  it('hung now, answered with none earlier: none as of the latest answer', () => {
    const failures = [
      { sourceId: 'cdr', code: 'timeout' as const, lastAnsweredAt: '2026-12-06T06:05:00Z' },
      { sourceId: 'his', code: 'timeout' as const, lastAnsweredAt: '2026-12-06T06:07:00Z' },
    ];
    expect(emptyWardState(list({ censusAnsweredBy: [], censusFailures: failures }), false)).toEqual({
      state: 'as-of',
      at: '2026-12-06T06:07:00Z',
    });
  });

  it('a census source answered with none: no inpatients; still asking: says so', () => {
    expect(emptyWardState(list({ censusAnsweredBy: ['cdr'], censusFailures: [{ sourceId: 'his', code: 'timeout' }] }), false)).toEqual({
      state: 'empty',
    });
    expect(emptyWardState(list({ from: 'cache' }), true)).toEqual({ state: 'updating' });
  });
});
