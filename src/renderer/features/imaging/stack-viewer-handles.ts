import type { Types } from '@cornerstonejs/core';
import type { VoiRange } from './stack-viewer-state.ts';

/**
 * The imperative side of one stack viewer: the mounted viewport and tool group, and the window
 * the reader is looking at. Read only by event handlers and effects, never while rendering, so
 * it lives outside React's state and the actions take it instead of refs.
 */
export interface StackViewerHandles {
  viewport: Types.IStackViewport | undefined;
  toolGroupId: string | undefined;
  /**
   * Kept by the viewer and applied to every new slice. Cornerstone's CPU path keeps drawing the
   * previous slice's window on a new slice while its voiRange property reverts to the new
   * image's default (the readout then said 400/40 over a lung-window picture): re-applying it
   * makes what is drawn, the property and the readout one.
   */
  window: { current: VoiRange | undefined };
  attach(viewport: Types.IStackViewport, toolGroupId: string): void;
  detach(): void;
}

export function createStackViewerHandles(): StackViewerHandles {
  const handles: StackViewerHandles = {
    viewport: undefined,
    toolGroupId: undefined,
    window: { current: undefined },
    attach(viewport, toolGroupId) {
      handles.viewport = viewport;
      handles.toolGroupId = toolGroupId;
    },
    detach() {
      handles.viewport = undefined;
      handles.toolGroupId = undefined;
    },
  };
  return handles;
}
