import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  SCROLL_SETTLE_MS,
  SCROLLING_PREFETCH_REQUESTS,
  createPrefetchYield,
} from '../../../../../src/renderer/features/imaging/prefetch-yield.ts';

const timers = {
  setTimeout: (run: () => void, ms: number): unknown => setTimeout(run, ms),
  clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

describe('prefetch yields to scrolling', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds prefetch to one request while steps come, and gives the full number back after a pause', () => {
    const limits: number[] = [];
    const governor = createPrefetchYield((n) => limits.push(n), 8, timers);
    governor.stepped();
    expect(limits).toEqual([SCROLLING_PREFETCH_REQUESTS]);
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(SCROLL_SETTLE_MS / 5);
      governor.stepped();
    }
    // Steps closer together than the pause: no flapping between the limits.
    expect(limits).toEqual([SCROLLING_PREFETCH_REQUESTS]);
    vi.advanceTimersByTime(SCROLL_SETTLE_MS);
    expect(limits).toEqual([SCROLLING_PREFETCH_REQUESTS, 8]);
    governor.stepped();
    expect(limits.at(-1)).toBe(SCROLLING_PREFETCH_REQUESTS);
  });

  it('never raises a limit below the scrolling one', () => {
    const limits: number[] = [];
    createPrefetchYield((n) => limits.push(n), 0, timers).stepped();
    expect(limits).toEqual([0]);
  });

  it('gives the full number back at once when disposed mid-scroll, and leaves it alone when idle', () => {
    const limits: number[] = [];
    const governor = createPrefetchYield((n) => limits.push(n), 8, timers);
    governor.dispose();
    expect(limits).toEqual([]);
    governor.stepped();
    governor.dispose();
    expect(limits).toEqual([SCROLLING_PREFETCH_REQUESTS, 8]);
    vi.advanceTimersByTime(SCROLL_SETTLE_MS * 2);
    expect(limits).toEqual([SCROLLING_PREFETCH_REQUESTS, 8]);
  });
});
