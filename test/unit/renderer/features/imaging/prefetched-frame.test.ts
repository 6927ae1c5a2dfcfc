import { beforeEach, describe, expect, it, vi } from 'vitest';

const created: { imageId: string; bytes: number; syntax: string; options: Record<string, unknown> }[] = [];
const loaderLoads: string[] = [];
const queued: { type: string; priority: number }[] = [];
let fetched: { contentType: string; body: ArrayBuffer } | undefined;
let ready = true;

// Cornerstone needs a browser; what is checked here is which requests leave the page and what the loader is given.
vi.mock('@cornerstonejs/core', () => ({
  Enums: { RequestType: { Prefetch: 'prefetch', Interaction: 'interaction' }, ImageQualityStatus: { FULL_RESOLUTION: 8 } },
  imageRetrievalPoolManager: {
    addRequest: (run: () => Promise<unknown>, type: string, _details: unknown, priority: number) => {
      queued.push({ type, priority });
      void run();
    },
  },
}));
vi.mock('@cornerstonejs/dicom-image-loader', () => ({
  createImage: async (imageId: string, bytes: Uint8Array, syntax: string, options: Record<string, unknown>) => {
    created.push({ imageId, bytes: bytes.byteLength, syntax, options });
    return { imageId };
  },
  wadors: {
    loadImage: (imageId: string) => {
      loaderLoads.push(imageId);
      return { promise: Promise.resolve({ imageId, fromLoader: true }) };
    },
  },
}));
vi.mock('../../../../../src/renderer/features/imaging/frame-fetch.ts', () => ({
  frameFetchReady: () => ready,
  fetchFrameOffPage: async () => fetched,
}));

const { loadPrefetchedFrame, transferSyntaxOf } = await import('../../../../../src/renderer/features/imaging/prefetched-frame.ts');

const ID = 'wadors:http://127.0.0.1:1/dicom-web/pacs/studies/1/series/2/instances/3/frames/1';

beforeEach(() => {
  created.length = 0;
  loaderLoads.length = 0;
  queued.length = 0;
  fetched = { contentType: 'application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1', body: new ArrayBuffer(16) };
  ready = true;
});

describe('prefetched frames off the page', () => {
  it('reads the transfer syntax as the loader does, Implicit VR Little Endian when none is named', () => {
    expect(transferSyntaxOf('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.90')).toBe('1.2.840.10008.1.2.4.90');
    expect(transferSyntaxOf('application/octet-stream; transfer-syntax="1.2.840.10008.1.2.5"')).toBe('1.2.840.10008.1.2.5');
    expect(transferSyntaxOf('application/octet-stream')).toBe('1.2.840.10008.1.2');
  });

  it('hands a prefetched frame’s body to createImage at full resolution, queued with its priority', async () => {
    const image = await loadPrefetchedFrame(ID, { requestType: 'prefetch', priority: 3, retrieveOptions: {} } as never)!.promise;
    expect(created).toEqual([
      { imageId: ID, bytes: 16, syntax: '1.2.840.10008.1.2.1', options: expect.objectContaining({ decodeLevel: 0 }) },
    ]);
    expect(image).toMatchObject({ transferSyntaxUID: '1.2.840.10008.1.2.1', imageQualityStatus: 8 });
    expect(queued).toEqual([{ type: 'prefetch', priority: 3 }]);
  });

  it('leaves interaction requests, unusual retrieve options and unstarted workers to the loader', () => {
    expect(loadPrefetchedFrame(ID, { requestType: 'interaction' } as never)).toBeUndefined();
    expect(loadPrefetchedFrame(ID, { requestType: 'prefetch', retrieveOptions: { streaming: true } } as never)).toBeUndefined();
    ready = false;
    expect(loadPrefetchedFrame(ID, { requestType: 'prefetch' } as never)).toBeUndefined();
  });

  it('gives a frame the worker could not take (failure, multipart) back to the loader, which asks again and words it', async () => {
    fetched = undefined;
    const image = await loadPrefetchedFrame(ID, { requestType: 'prefetch' } as never)!.promise;
    expect(image).toMatchObject({ fromLoader: true });
    expect(loaderLoads).toEqual([ID]);
    expect(created).toEqual([]);
  });
});
