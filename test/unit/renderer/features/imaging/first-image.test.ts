import { beforeEach, describe, expect, it, vi } from 'vitest';

const loads: { imageId: string; options: unknown }[] = [];
let path: 'cpu' | 'webgl' | undefined;

// Cornerstone itself needs a browser; what is checked here is which image is asked for, how, and when not.
vi.mock('@cornerstonejs/core', () => ({
  Enums: { RequestType: { Interaction: 'interaction' } },
  imageLoader: {
    loadAndCacheImage: (imageId: string, options: unknown) => {
      loads.push({ imageId, options });
      return Promise.reject(new Error('decode failed'));
    },
  },
}));
vi.mock('../../../../../src/renderer/features/imaging/cornerstone-setup.ts', () => ({ startedRenderingPath: () => path }));

const { firstShownIndex, loadFirstImageEarly } = await import('../../../../../src/renderer/features/imaging/first-image.ts');

const ids = (n: number) => Array.from({ length: n }, (_, i) => `wadors:/f/${i}`);

describe('the first image, asked for as soon as the metadata is in', () => {
  beforeEach(() => {
    loads.length = 0;
    path = 'cpu';
  });

  it('is the middle slice, the one the stack opens on', () => {
    expect(firstShownIndex(200)).toBe(100);
    expect(firstShownIndex(1)).toBe(0);
    loadFirstImageEarly(ids(200));
    expect(loads).toEqual([{ imageId: 'wadors:/f/100', options: { useRGBA: true, requestType: 'interaction', priority: -5 } }]);
  });

  it('is left to the viewport on the WebGL path, before Cornerstone has started, and for an empty series', () => {
    path = 'webgl';
    loadFirstImageEarly(ids(3));
    path = undefined;
    loadFirstImageEarly(ids(3));
    path = 'cpu';
    loadFirstImageEarly([]);
    expect(loads).toEqual([]);
  });

  it('swallows a failed load: the viewport asks through the cache and shows the failure itself', async () => {
    loadFirstImageEarly(ids(2));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(loads).toHaveLength(1);
  });
});
