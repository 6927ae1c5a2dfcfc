import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWriteBehind } from '../../../../../src/main/services/dicomweb-proxy/write-behind.ts';

/** A store call that records when it ran and finishes when told. */
function recorder() {
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  const store = (name: string) => () => {
    started.push(name);
    return new Promise<void>((resolve) => finish.set(name, resolve));
  };
  return { started, finish, store };
}

describe('write-behind cache copies', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stores nothing while frames stream, then everything once the proxy is quiet', async () => {
    const wb = createWriteBehind();
    const { started, finish, store } = recorder();
    wb.streaming(1);
    const stored = wb.enqueue('a', 10, store('a'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toEqual([]);
    wb.streaming(-1);
    await vi.advanceTimersByTimeAsync(5);
    expect(started).toEqual([]); // not the instant the last frame left: the viewer may ask the next
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toEqual(['a']);
    finish.get('a')!();
    await expect(stored).resolves.toBeUndefined();
  });

  it('steps aside between batches when frames stream again', async () => {
    const wb = createWriteBehind();
    const { started, finish, store } = recorder();
    const names = Array.from({ length: 12 }, (_, i) => `f${i}`);
    for (const name of names) void wb.enqueue(name, 10, store(name));
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toHaveLength(8); // one batch
    wb.streaming(1);
    for (const name of started) finish.get(name)!();
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toHaveLength(8); // the next batch waits for the stream
    wb.streaming(-1);
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toEqual(names);
  });

  it('stores a hurried name at once, even while frames stream', async () => {
    const wb = createWriteBehind();
    const { started, finish, store } = recorder();
    wb.streaming(1);
    const stored = wb.enqueue('a', 10, store('a'));
    void wb.enqueue('b', 10, store('b'));
    wb.hurry('a');
    expect(started).toEqual(['a']);
    finish.get('a')!();
    await expect(stored).resolves.toBeUndefined();
    wb.hurry('missing'); // nothing waits under that name: nothing happens
    expect(started).toEqual(['a']);
  });

  it('drain stores everything waiting, whatever streams, a batch at a time', async () => {
    const wb = createWriteBehind();
    let running = 0;
    let most = 0;
    const done: string[] = [];
    const names = Array.from({ length: 20 }, (_, i) => `f${i}`);
    wb.streaming(1);
    const all = names.map((name) =>
      wb.enqueue(name, 10, async () => {
        running++;
        most = Math.max(most, running);
        await Promise.resolve();
        running--;
        done.push(name);
      }),
    );
    await wb.drain();
    expect(done).toEqual(names);
    expect(most).toBe(8);
    await Promise.all(all);
  });

  it('stores at once beyond its memory bound rather than holding more', async () => {
    const wb = createWriteBehind();
    const { started, store } = recorder();
    wb.streaming(1);
    void wb.enqueue('small', 10, store('small'));
    expect(started).toEqual([]);
    void wb.enqueue('huge', 256 * 1024 * 1024, store('huge'));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['small', 'huge']);
  });
});
