/**
 * One Cornerstone stack viewport on a div: its rendering engine and tool group, created on
 * mount and destroyed on unmount (StrictMode mounts twice; nothing may leak across patients).
 * Exposes the viewer's state for the UI and data attributes, and the actions the toolbar calls.
 */
import type { Types } from '@cornerstonejs/core';
import { useCallback, useEffect, useState, type RefObject } from 'react';
import { yieldPrefetchToScroll } from './image-memory.ts';
import { failureOf } from './imaging-failure.ts';
import { mountStackViewport } from './mount-stack-viewport.ts';
import type { LoadedSeries } from './series-loader.ts';
import { stackViewerActions } from './stack-viewer-actions.ts';
import { createStackViewerHandles } from './stack-viewer-handles.ts';
import { INITIAL, type StackViewerActions, type StackViewerState } from './stack-viewer-state.ts';

export type { PrimaryTool, StackViewerActions, StackViewerState } from './stack-viewer-state.ts';

/** Called with each viewport mounted (for linking it to others); what it returns runs before the viewport goes. */
export type OnViewportMounted = (viewport: Types.IStackViewport) => () => void;

export function useStackViewer(
  element: RefObject<HTMLDivElement | null>,
  series: LoadedSeries | undefined,
  onMounted?: OnViewportMounted,
): [StackViewerState, StackViewerActions] {
  const [state, setState] = useState<StackViewerState>(INITIAL);
  const [handles] = useState(createStackViewerHandles);

  useEffect(() => {
    const el = element.current;
    if (!el || !series || series.imageIds.length === 0) return;
    const mounted = mountStackViewport(el, series, handles.window, setState);
    handles.attach(mounted.viewport, mounted.toolGroupId);
    const unlink = onMounted?.(mounted.viewport);
    return () => {
      unlink?.();
      mounted.unmount();
      handles.detach();
    };
  }, [element, series, handles, onMounted]);

  const scrollTo = useCallback(
    (index: number) => {
      const viewport = handles.viewport;
      if (!viewport) return;
      const count = viewport.getImageIds().length;
      const target = Math.max(0, Math.min(count - 1, Math.round(index)));
      // Setting the current index again renders nothing (and fires no event): skip it.
      if (target === viewport.getCurrentImageIdIndex()) return;
      yieldPrefetchToScroll();
      viewport.setImageIdIndex(target).catch((error: unknown) => {
        if (handles.viewport === viewport) setState((s) => ({ ...s, error: failureOf(error) }));
      });
    },
    [handles],
  );

  const actions = stackViewerActions({ element, handles, setState, currentTool: state.tool, scrollTo });
  return [state, actions];
}
