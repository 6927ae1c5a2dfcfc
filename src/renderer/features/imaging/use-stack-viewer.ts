/**
 * One Cornerstone stack viewport on a div: its rendering engine and tool group, created on
 * mount and destroyed on unmount (StrictMode mounts twice; nothing may leak across patients).
 * Exposes the viewer's state for the UI and data attributes, and the actions the toolbar calls.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { Types } from '@cornerstonejs/core';
import { failureOf } from './imaging-failure.ts';
import { mountStackViewport } from './mount-stack-viewport.ts';
import type { LoadedSeries } from './series-loader.ts';
import { stackViewerActions } from './stack-viewer-actions.ts';
import { INITIAL, type StackViewerActions, type StackViewerState, type VoiRange } from './stack-viewer-state.ts';

export type { PrimaryTool, StackViewerActions, StackViewerState } from './stack-viewer-state.ts';

export function useStackViewer(element: RefObject<HTMLDivElement | null>, series: LoadedSeries | undefined): [StackViewerState, StackViewerActions] {
  const [state, setState] = useState<StackViewerState>(INITIAL);
  const viewportRef = useRef<Types.IStackViewport | undefined>(undefined);
  const toolGroupIdRef = useRef<string | undefined>(undefined);
  /**
   * The window the reader is looking at, kept by the viewer and applied to every new slice.
   * Cornerstone's CPU path keeps drawing the previous slice's window on a new slice while its
   * voiRange property reverts to the new image's default (the readout then said 400/40 over a
   * lung-window picture): re-applying it makes what is drawn, the property and the readout one.
   */
  const windowRef = useRef<VoiRange | undefined>(undefined);

  useEffect(() => {
    const el = element.current;
    if (!el || !series || series.imageIds.length === 0) return;
    const mounted = mountStackViewport(el, series, windowRef, setState);
    viewportRef.current = mounted.viewport;
    toolGroupIdRef.current = mounted.toolGroupId;
    return () => {
      mounted.unmount();
      viewportRef.current = undefined;
      toolGroupIdRef.current = undefined;
    };
  }, [element, series]);

  const scrollTo = useCallback((index: number) => {
    const viewport = viewportRef.current;
    if (!viewport) return;
    const count = viewport.getImageIds().length;
    const target = Math.max(0, Math.min(count - 1, Math.round(index)));
    // Setting the current index again renders nothing (and fires no event): skip it.
    if (target === viewport.getCurrentImageIdIndex()) return;
    viewport.setImageIdIndex(target).catch((error: unknown) => {
      if (viewportRef.current === viewport) setState((s) => ({ ...s, error: failureOf(error) }));
    });
  }, []);

  const actions = stackViewerActions({ element, viewportRef, toolGroupIdRef, windowRef, setState, currentTool: state.tool, scrollTo });
  return [state, actions];
}
