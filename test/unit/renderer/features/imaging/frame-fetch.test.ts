import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FrameFetchRequest } from '../../../../../src/renderer/features/imaging/frame-fetch-messages.ts';

/** Stands in for the module worker (Node has none): answers what the test tells it, by message. */
class FakeWorker {
  static all: FakeWorker[] = [];
  onmessage: ((event: MessageEvent<unknown>) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  posted: FrameFetchRequest[] = [];
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
});
