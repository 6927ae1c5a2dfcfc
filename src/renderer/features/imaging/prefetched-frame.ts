/**
 * Prefetched frames fetched by the frame-fetch workers (frame-fetch.ts) and handed to the loader's
 * own createImage, the way its wadors loader would after its XHR: the page's main thread no longer
 * handles their bodies. The frame the reader asked for (an interaction request) keeps the loader's
 * own path: it is first in line on a main thread with nothing else to do, and needs no worker hop.
 * Any answer but a single-part 200 goes back to the loader, which asks again and words the failure.
 */
import { Enums, imageRetrievalPoolManager, type Types } from '@cornerstonejs/core';
import { createImage, wadors } from '@cornerstonejs/dicom-image-loader';
import { fetchFrameOffPage, frameFetchReady, type FetchedFrame } from './frame-fetch.ts';

type LoaderOptions = NonNullable<Parameters<typeof createImage>[3]> & {
  requestType?: Enums.RequestType;
  priority?: number;
  additionalDetails?: Record<string, unknown>;
  retrieveOptions?: object;
};

/** The loader's default when a single-part answer names no transfer syntax (wadors getTransferSyntaxForContentType). */
const IMPLICIT_LE = '1.2.840.10008.1.2';

export function transferSyntaxOf(contentType: string): string {
  return /transfer-syntax\s*=\s*"?([0-9.]+)/i.exec(contentType)?.[1] ?? IMPLICIT_LE;
}

function queued(url: string, options: LoaderOptions, imageId: string): Promise<FetchedFrame | undefined> {
  return new Promise((resolve) => {
    // The retrieval pool as the loader's own requests use it, so priorities and clears apply alike.
    imageRetrievalPoolManager.addRequest(
      () => fetchFrameOffPage(url).then(resolve, () => resolve(undefined)),
      Enums.RequestType.Prefetch,
      options.additionalDetails ?? { imageId },
      options.priority ?? 5,
    );
  });
}

/** The image through the frame-fetch workers, or undefined when this request stays the loader's. */
export function loadPrefetchedFrame(
  imageId: string,
  loaderOptions: Parameters<typeof createImage>[3],
): { promise: Promise<Types.IImage> } | undefined {
  const options = (loaderOptions ?? {}) as LoaderOptions;
  // stackPrefetch passes its retrieve configuration, empty here; any other (ranges, streaming, URL
  // arguments) stays with the loader, which knows what it means.
  const plain = options.retrieveOptions === undefined || Object.keys(options.retrieveOptions).length === 0;
  if (options.requestType !== Enums.RequestType.Prefetch || !plain || !frameFetchReady()) return undefined;
  const started = Date.now();
  const promise = queued(imageId.slice('wadors:'.length), options, imageId).then(async (frame) => {
    if (!frame) return wadors.loadImage(imageId, options as Parameters<typeof wadors.loadImage>[1]).promise as Promise<Types.IImage>;
    const syntax = transferSyntaxOf(frame.contentType);
    const image = (await createImage(imageId, new Uint8Array(frame.body), syntax, { ...options, decodeLevel: 0 })) as Types.IImage;
    return Object.assign(image, {
      loadTimeInMS: Date.now() - started,
      transferSyntaxUID: syntax,
      imageQualityStatus: Enums.ImageQualityStatus.FULL_RESOLUTION,
    });
  });
  return { promise };
}
