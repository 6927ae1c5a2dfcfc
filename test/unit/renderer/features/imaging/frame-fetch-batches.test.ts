import { describe, expect, it } from 'vitest';
import { BATCH_PAUSE_MS, FrameBatches, FRAMES_PER_BATCH } from '../../../../../src/renderer/features/imaging/frame-fetch-batches.ts';

const SERIES = 'http://127.0.0.1:1/dicom-web/pacs/studies/1.2/series/1.2.3';
const frame = (i: number, n = 1) => `${SERIES}/instances/1.2.3.${i}/frames/${n}`;
const series = (count: number) => Array.from({ length: count }, (_, i) => frame(i));
const instancesOf = (batchUrl: string) => new URL(batchUrl).searchParams.get('instances')!.split(',');

describe('frame batches', () => {
  it('batches a frame with its nearest unclaimed neighbours, each frame once', () => {
    const batches = new FrameBatches();
    batches.register(series(40));
    const first = batches.plan(frame(20))!;
    expect(first.batchUrl.startsWith(`${SERIES}/x-huizhen-frames?instances=`)).toBe(true);
    expect(first.frames).toHaveLength(FRAMES_PER_BATCH);
    expect(first.frames.slice(0, 5)).toEqual([frame(20), frame(21), frame(19), frame(22), frame(18)]);
    expect(instancesOf(first.batchUrl)).toEqual(first.frames.map((f) => /instances\/([0-9.]+)\//.exec(f)![1]));
    // Claimed frames are not asked again; the next batch (without the frame itself) takes the next nearest.
    expect(batches.plan(frame(21))).toBeUndefined();
    const ahead = batches.plan(frame(21), false)!;
    expect(ahead.frames.some((f) => first.frames.includes(f))).toBe(false);
    expect(ahead.frames).toHaveLength(FRAMES_PER_BATCH);
    // What is left is fewer than two frames: no batch.
    const rest = batches.plan(frame(0))!;
    expect(rest.frames).toHaveLength(40 - 2 * FRAMES_PER_BATCH);
    expect(batches.plan(frame(39), false)).toBeUndefined();
  });

  it('never batches unregistered series, other frames than the first, or after a refusal until the pause ends', () => {
    let now = 1_000;
    const batches = new FrameBatches(() => now);
    expect(batches.plan(frame(1))).toBeUndefined();
    batches.register(series(40));
    expect(batches.plan(frame(1, 2))).toBeUndefined();
    expect(batches.plan(`${SERIES}/instances/9.9/frames/1`)).toBeUndefined();
    const refused = batches.plan(frame(1))!;
    batches.refused(refused);
    expect(batches.plan(frame(30))).toBeUndefined();
    now += BATCH_PAUSE_MS;
    expect(batches.plan(frame(30))?.frames[0]).toBe(frame(30));
    // The refused batch's frames stay claimed: they are fetched one by one.
    expect(batches.plan(frame(1))).toBeUndefined();
    // Registered again (reopened in the same page): every frame may be batched again.
    batches.register(series(10));
    expect(batches.plan(frame(1))?.frames).toHaveLength(10);
  });

  it('ignores a frame list that mixes series', () => {
    const batches = new FrameBatches();
    batches.register([frame(1), frame(2), 'http://127.0.0.1:1/dicom-web/pacs/studies/1.2/series/9.9/instances/9.9.1/frames/1']);
    expect(batches.plan(frame(1))).toBeUndefined();
  });
});
