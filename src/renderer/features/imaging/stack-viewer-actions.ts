import { Enums as ToolEnums, PanTool, ToolGroupManager, ZoomTool, utilities as toolUtilities } from '@cornerstonejs/tools';
import type { Dispatch, RefObject, SetStateAction } from 'react';
import type { StackViewerHandles } from './stack-viewer-handles.ts';
import { TOOL_NAMES, type PrimaryTool, type StackViewerActions, type StackViewerState } from './stack-viewer-state.ts';
import { voiRange, windowOf } from './window-presets.ts';

export interface ActionDeps {
  element: RefObject<HTMLDivElement | null>;
  handles: StackViewerHandles;
  setState: Dispatch<SetStateAction<StackViewerState>>;
  /** The tool holding the left button now. */
  currentTool: PrimaryTool;
  scrollTo(index: number): void;
}

/** What the toolbar, keys and slider call: each acts on the mounted viewport, or does nothing without one. */
export function stackViewerActions(deps: ActionDeps): StackViewerActions {
  const { element, handles, setState, scrollTo } = deps;
  const windowRef = handles.window;
  return {
    scrollTo,
    scrollBy: (delta) => {
      const viewport = handles.viewport;
      if (viewport) scrollTo(viewport.getCurrentImageIdIndex() + delta);
    },
    setWindow: (width, center) => {
      const viewport = handles.viewport;
      if (!viewport) return;
      windowRef.current = voiRange(width, center);
      viewport.setProperties({ voiRange: windowRef.current });
      viewport.render();
      setState((s) => ({ ...s, windowWidth: Math.round(width), windowCenter: Math.round(center) }));
    },
    toggleInvert: () => {
      const viewport = handles.viewport;
      if (!viewport) return;
      viewport.setProperties({ invert: !(viewport.getProperties().invert ?? false) });
      viewport.render();
      setState((s) => ({ ...s, invert: viewport.getProperties().invert ?? false }));
    },
    reset: () => {
      const viewport = handles.viewport;
      if (!viewport) return;
      viewport.resetCamera();
      viewport.resetProperties();
      // Back to this slice's own window, kept as the reader's from here.
      const own = viewport.getProperties().voiRange;
      windowRef.current = own ? { lower: own.lower, upper: own.upper } : undefined;
      if (windowRef.current) viewport.setProperties({ voiRange: windowRef.current });
      viewport.render();
      const props = viewport.getProperties();
      const win = props.voiRange ? windowOf(props.voiRange) : undefined;
      setState((s) => ({
        ...s,
        invert: props.invert ?? false,
        ...(win ? { windowWidth: Math.round(win.width), windowCenter: Math.round(win.center) } : {}),
      }));
    },
    setTool: (tool) => {
      const groupId = handles.toolGroupId;
      const group = groupId ? ToolGroupManager.getToolGroup(groupId) : undefined;
      if (!group) return;
      const current = TOOL_NAMES[deps.currentTool];
      const next = TOOL_NAMES[tool];
      // Measurement tools stay passive (drawn, editable); navigation tools keep their own
      // buttons (pan: middle, zoom: right) whatever holds the left one.
      group.setToolPassive(current, { removeAllBindings: true });
      if (current === PanTool.toolName) group.setToolActive(current, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
      if (current === ZoomTool.toolName) group.setToolActive(current, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] });
      group.setToolActive(next, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
      setState((s) => ({ ...s, tool }));
    },
    play: (fps) => {
      const el = element.current;
      if (!el || !handles.viewport) return;
      toolUtilities.cine.playClip(el, { framesPerSecond: fps, loop: true });
      setState((s) => ({ ...s, cineFps: fps }));
    },
    stop: () => {
      const el = element.current;
      if (el) toolUtilities.cine.stopClip(el);
      setState((s) => ({ ...s, cineFps: undefined }));
    },
  };
}
