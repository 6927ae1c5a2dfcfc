import { describe, expect, it, vi } from 'vitest';
import { throttle } from '../../../src/main/services/patient-record/throttle.ts';

describe('throttle', () => {
  it('sends the first value at once, then only the latest per interval, and nothing after cancel', async () => {
    vi.useFakeTimers();
    try {
      const sent: number[] = [];
      const t = throttle(250, (v: number) => sent.push(v));
      t.push(1);
      expect(sent).toEqual([1]);
      t.push(2);
      t.push(3);
      expect(sent).toEqual([1]);
      await vi.advanceTimersByTimeAsync(250);
      expect(sent).toEqual([1, 3]);
      t.push(4);
      t.cancel();
      await vi.advanceTimersByTimeAsync(1000);
      expect(sent).toEqual([1, 3]);
    } finally {
      vi.useRealTimers();
    }
  });
});
