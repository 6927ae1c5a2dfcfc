import { describe, expect, it } from 'vitest';
import { preloadViewer, type IdleScheduler } from '../../../../../src/renderer/features/imaging/viewer-preload.ts';

/** Idle periods the test hands out one at a time, as a browser would between other work. */
function idleQueue() {
  const waiting = new Map<number, () => void>();
  let next = 0;
  const scheduler: IdleScheduler = {
    requestIdleCallback: (run) => {
      waiting.set(++next, run);
      return next;
    },
    cancelIdleCallback: (handle) => void waiting.delete(handle),
  };
  return {
    scheduler,
    pending: () => waiting.size,
    /** Runs the oldest waiting callback and lets the promises it started settle. */
    async idle() {
      const [handle, run] = [...waiting][0] ?? [];
      if (handle === undefined || !run) throw new Error('nothing waits for an idle period');
      waiting.delete(handle);
      run();
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

function fakeViewer() {
  const calls = { load: 0, start: 0 };
  const load = () => {
    calls.load += 1;
    return Promise.resolve({
      ensureCornerstone: () => {
        calls.start += 1;
        return Promise.resolve('cpu' as const);
      },
    });
  };
  return { calls, load };
}

describe('preloadViewer', () => {
  it('loads the chunk in one idle period and starts Cornerstone in the next, not before', async () => {
    const queue = idleQueue();
    const viewer = fakeViewer();
    preloadViewer(queue.scheduler, viewer.load);
    expect(viewer.calls).toEqual({ load: 0, start: 0 });
    await queue.idle();
    expect(viewer.calls).toEqual({ load: 1, start: 0 });
    expect(queue.pending()).toBe(1);
    await queue.idle();
    expect(viewer.calls).toEqual({ load: 1, start: 1 });
    expect(queue.pending()).toBe(0);
  });

  it('does nothing more once cancelled (the shell unmounted: signed out)', async () => {
    const queue = idleQueue();
    const viewer = fakeViewer();
    const cancel = preloadViewer(queue.scheduler, viewer.load);
    await queue.idle();
    cancel();
    expect(queue.pending()).toBe(0);
    expect(viewer.calls.start).toBe(0);
  });

  it('leaves a failed chunk load to the imaging tab: no start, nothing thrown', async () => {
    const queue = idleQueue();
    preloadViewer(queue.scheduler, () => Promise.reject(new Error('chunk fetch failed')));
    await queue.idle();
    expect(queue.pending()).toBe(0);
  });

  it('swallows a failed Cornerstone start: the panel shows the setup failure when it asks itself', async () => {
    const queue = idleQueue();
    preloadViewer(queue.scheduler, () => Promise.resolve({ ensureCornerstone: () => Promise.reject(new Error('no WebGL, no canvas')) }));
    await queue.idle();
    await queue.idle();
    expect(queue.pending()).toBe(0);
  });
});
