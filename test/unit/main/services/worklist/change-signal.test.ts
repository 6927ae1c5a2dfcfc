import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChangeSignal } from '../../../../../src/main/services/worklist/change-signal.ts';

describe('the worklist change signal coalesces bursts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a lone event is told once, within the quiet period, with its reason', () => {
    const signal = createChangeSignal({ quietMs: 40, minIntervalMs: 250 });
    const heard: string[][] = [];
    signal.subscribe((c) => heard.push(c.reasons));
    signal.note('results');
    expect(heard).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(heard).toEqual([['results']]);
    vi.advanceTimersByTime(5_000);
    expect(heard).toHaveLength(1);
  });

  it('200 events in one second make a handful of signals, not 200, and the last event is never lost', () => {
    const signal = createChangeSignal({ quietMs: 40, minIntervalMs: 250 });
    const heard: string[][] = [];
    const at: number[] = [];
    signal.subscribe((c) => {
      heard.push(c.reasons);
      at.push(Date.now());
    });
    let lastNote = 0;
    for (let i = 0; i < 200; i++) {
      signal.note(i % 50 === 0 ? 'census' : 'results');
      lastNote = Date.now();
      vi.advanceTimersByTime(5);
    }
    vi.advanceTimersByTime(1_000);
    expect(heard.length).toBeGreaterThanOrEqual(2);
    expect(heard.length).toBeLessThanOrEqual(5);
    expect(heard[0]).toEqual(['census', 'results']);
    // The last signal comes after the burst's last event: the re-read it causes sees everything.
    expect(at.at(-1)!).toBeGreaterThan(lastNote);
  });

  it('signals are spaced by the minimum interval, and stop() drops what is pending', () => {
    const times: number[] = [];
    const signal = createChangeSignal({ quietMs: 10, minIntervalMs: 300 });
    signal.subscribe(() => times.push(Date.now()));
    const start = Date.now();
    signal.note('census');
    vi.advanceTimersByTime(20);
    signal.note('census');
    vi.advanceTimersByTime(400);
    expect(times.map((t) => t - start)).toEqual([10, 310]);
    signal.note('results');
    signal.stop();
    vi.advanceTimersByTime(1_000);
    expect(times).toHaveLength(2);
  });
});
