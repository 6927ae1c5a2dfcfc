/**
 * The main viewport's first image, asked for the moment its series' metadata is in rather than
 * once React has rendered the panel with it and the viewport has been created and given its
 * stack: the frame's transfer and decode then overlap that work (measured ≈ 50–60 ms of render
 * and mount between the metadata and the viewport's own request). The viewport's request for the
 * same image id finds it in Cornerstone's image cache, loading or loaded.
 */
import { Enums, imageLoader } from '@cornerstonejs/core';
import { startedRenderingPath } from './cornerstone-setup.ts';

/** The slice a stack opens on (mount-stack-viewport.ts shows the middle one). */
export function firstShownIndex(count: number): number {
  return Math.floor(count / 2);
}

/**
 * Starts loading `imageIds`' first shown image with the options the CPU viewport loads it with.
 * Only on the CPU path: WebGL viewports load into buffers of their own choosing, and an image
 * cached with other options would be shown as cached. Nothing when Cornerstone has not started.
 */
export function loadFirstImageEarly(imageIds: readonly string[]): void {
  if (startedRenderingPath() !== 'cpu') return;
  const imageId = imageIds[firstShownIndex(imageIds.length)];
  if (!imageId) return;
  // StackViewport's CPU path loads with these (core 5.14, _loadAndDisplayImageCPU; its priority,
  // -5, goes to the request pool); the option type omits useRGBA, which the DICOM image loader reads.
  const options = { useRGBA: true, requestType: Enums.RequestType.Interaction, priority: -5 };
  // A failure is the viewport's to show: it asks again through the cache and sees it.
  imageLoader.loadAndCacheImage(imageId, options).catch(() => undefined);
}
