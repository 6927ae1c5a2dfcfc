import { useEffect, useState, type RefObject } from 'react';
import { ensureCornerstone, type RenderingPath } from './cornerstone-setup.ts';
import { releaseImagingMemory } from './image-memory.ts';
import type { ImagingFailure } from './imaging-failure.ts';
import type { LoadedSeries } from './series-loader.ts';
import { useStackViewer, type OnViewportMounted, type StackViewerActions, type StackViewerState } from './use-stack-viewer.ts';

export interface CornerstoneViewer {
  rendering: RenderingPath | undefined;
  setupError: ImagingFailure | undefined;
  viewer: StackViewerState;
  actions: StackViewerActions;
}

/**
 * Starts Cornerstone when the panel mounts and shows `series` in the viewport on `element` once
 * it has started. The viewport's hook comes first so that on unmount its cleanup runs before
 * this patient's images are released.
 */
export function useCornerstoneViewer(
  element: RefObject<HTMLDivElement | null>,
  series: LoadedSeries | undefined,
  onMounted?: OnViewportMounted,
): CornerstoneViewer {
  const [rendering, setRendering] = useState<RenderingPath | undefined>();
  const [setupError, setSetupError] = useState<ImagingFailure | undefined>();
  // The series index and metadata load while Cornerstone starts; the viewport waits for both.
  const [viewer, actions] = useStackViewer(element, rendering ? series : undefined, onMounted);
  useEffect(() => {
    ensureCornerstone().then(setRendering, (error: unknown) =>
      setSetupError({ code: 'setup', detail: error instanceof Error ? error.message : String(error) }),
    );
    return releaseImagingMemory;
  }, []);
  return { rendering, setupError, viewer, actions };
}
