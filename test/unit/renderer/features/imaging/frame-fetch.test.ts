import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FrameFetchRequest } from '../../../../../src/renderer/features/imaging/frame-fetch-messages.ts';

/** Stands in for the module worker (Node has none): answers what the test tells it, by message. */
class FakeWorker {
  static all: FakeWorker[] = [];
  onmessage: ((event: MessageEvent<unknown>) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  posted: (FrameFetchRequest & { url?: string; batchUrl?: string; frames?: string[] })[] = [];
  constructor() {
    FakeWorker.all.push(this);
  }
  postMessage(message: FrameFetchRequest): void {
    this.posted.push(message);
  }
  answer(data: unknown): void {
    this.onmessage?.({ data } as MessageEvent<unknown>);
  }
}

async function freshModule() {
  vi.resetModules();
  return import('../../../../../src/renderer/features/imaging/frame-fetch.ts');
}

beforeEach(() => {
  FakeWorker.all = [];
  vi.stubGlobal('Worker', FakeWorker);
});
afterEach(() => vi.unstubAllGlobals());

describe('frame-fetch', () => {
  it('gives every frame back to the page’s loader until the workers started', async () => {
    const { fetchFrameOffPage, frameFetchReady } = await freshModule();
    expect(frameFetchReady()).toBe(false);
    await expect(fetchFrameOffPage('/f/1')).resolves.toBeUndefined();
  });

  it('sends the loader’s Accept, spreads frames over the workers and matches answers by id', async () => {
    const { fetchFrameOffPage, startFrameFetch } = await freshModule();
    startFrameFetch('application/octet-stream; transfer-syntax=*');
    // No thread before the first prefetched frame: nothing competes with the first image.
    expect(FakeWorker.all).toHaveLength(0);
    const first = fetchFrameOffPage('/f/1');
    const workers = FakeWorker.all;
    expect(workers.length).toBeGreaterThanOrEqual(1);
    const second = fetchFrameOffPage('/f/2');
    const posted = workers.flatMap((w) => w.posted);
    expect(posted.map((p) => p.url).sort()).toEqual(['/f/1', '/f/2']);
    expect(posted.every((p) => p.accept === 'application/octet-stream; transfer-syntax=*')).toBe(true);
    const byUrl = (url: string) => workers.find((w) => w.posted.some((p) => p.url === url))!;
    const idOf = (url: string) => posted.find((p) => p.url === url)!.id;
    const body = new ArrayBuffer(8);
    // Answered out of order: the second first, and as a failure.
    byUrl('/f/2').answer({ id: idOf('/f/2'), ok: false, status: 502 });
    byUrl('/f/1').answer({ id: idOf('/f/1'), ok: true, contentType: 'application/octet-stream', body });
    await expect(second).resolves.toBeUndefined();
    await expect(first).resolves.toEqual({ contentType: 'application/octet-stream', body });
  });

  it('ignores malformed answers, and a worker that fails gives its waiting frames back', async () => {
    const { fetchFrameOffPage, frameFetchReady, startFrameFetch } = await freshModule();
    startFrameFetch('*/*');
    expect(frameFetchReady()).toBe(true);
    const pending = fetchFrameOffPage('/f/1');
    const worker = FakeWorker.all.find((w) => w.posted.length > 0)!;
    worker.answer({ id: worker.posted[0]!.id, ok: true, contentType: 'x', body: 'not a buffer' });
    worker.onerror?.({});
    await expect(pending).resolves.toBeUndefined();
    expect(frameFetchReady()).toBe(false);
  });

  it('asks a registered series’ frames in batches, hands each out once, and falls back one by one when refused', async () => {
    const { fetchFrameOffPage, registerSeriesFrames, startFrameFetch } = await freshModule();
    startFrameFetch('application/octet-stream; transfer-syntax=*');
    const series = '/dicom-web/p/studies/1.2/series/1.2.3';
    const urls = Array.from({ length: 40 }, (_, i) => `${series}/instances/1.2.3.${i}/frames/1`);
    registerSeriesFrames(urls);
    const first = fetchFrameOffPage(urls[20]!);
    const posted = () => FakeWorker.all.flatMap((w) => w.posted);
    const batchesSent = () => posted().filter((p) => p.batchUrl !== undefined);
    // The frame's own batch, and the next one ahead of the loader.
    expect(batchesSent()).toHaveLength(2);
    const [own, ahead] = batchesSent();
    expect(own!.frames![0]).toBe(urls[20]);
    expect(own!.batchUrl).toMatch(/\/x-huizhen-frames\?instances=1\.2\.3\.20,1\.2\.3\.21,1\.2\.3\.19,/);
    const workerOf = (id: number) => FakeWorker.all.find((w) => w.posted.some((p) => p.id === id))!;
    const bodies = new Map(own!.frames!.map((url) => [url, new ArrayBuffer(4)]));
    workerOf(own!.id).answer({
      id: own!.id,
      ok: true,
      frames: own!.frames!.map((url) => ({ url, contentType: 'application/octet-stream', body: bodies.get(url)! })),
    });
    await expect(first).resolves.toEqual({ contentType: 'application/octet-stream', body: bodies.get(urls[20]!) });
    // A neighbour comes from the batch already answered: no request of its own.
    const before = posted().length;
    await expect(fetchFrameOffPage(urls[21]!)).resolves.toEqual({ contentType: 'application/octet-stream', body: bodies.get(urls[21]!) });
    expect(
      posted()
        .slice(before)
        .every((p) => p.batchUrl !== undefined),
    ).toBe(true);
    // The batch ahead is refused (not all cached): its frames are then fetched alone.
    workerOf(ahead!.id).answer({ id: ahead!.id, ok: false, status: 409 });
    const alone = fetchFrameOffPage(ahead!.frames![0]!);
    await vi.waitFor(() => expect(posted().some((p) => p.url === ahead!.frames![0])).toBe(true));
    const single = posted().find((p) => p.url === ahead!.frames![0])!;
    const body = new ArrayBuffer(2);
    workerOf(single.id).answer({ id: single.id, ok: true, contentType: 'application/octet-stream', body });
    await expect(alone).resolves.toEqual({ contentType: 'application/octet-stream', body });
  });
});
