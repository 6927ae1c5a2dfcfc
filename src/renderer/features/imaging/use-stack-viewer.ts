/**
 * One Cornerstone stack viewport on a div: its rendering engine and tool group, created on
 * mount and destroyed on unmount (StrictMode mounts twice; nothing may leak across patients).
 * Exposes the viewer's state for the UI and data attributes, and the actions the toolbar calls.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { Enums as CoreEnums, RenderingEngine, eventTarget, type Types } from '@cornerstonejs/core';
import {
  AngleTool,
  EllipticalROITool,
  Enums as ToolEnums,
  LengthTool,
  PanTool,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  annotation,
  utilities as toolUtilities,
} from '@cornerstonejs/tools';
import { failureOf, type ImagingFailure } from './imaging-failure.ts';
import type { LoadedSeries } from './series-loader.ts';
import { voiRange, windowOf } from './window-presets.ts';

export type PrimaryTool = 'window-level' | 'pan' | 'zoom' | 'length' | 'angle' | 'ellipse';

const TOOL_NAMES: Record<PrimaryTool, string> = {
  'window-level': WindowLevelTool.toolName,
  pan: PanTool.toolName,
  zoom: ZoomTool.toolName,
  length: LengthTool.toolName,
  angle: AngleTool.toolName,
  ellipse: EllipticalROITool.toolName,
};
const ANNOTATION_TOOLS = new Set([LengthTool.toolName, AngleTool.toolName, EllipticalROITool.toolName]);

export interface StackViewerState {
  ready: boolean;
  index: number;
  count: number;
  windowWidth?: number;
  windowCenter?: number;
  invert: boolean;
  tool: PrimaryTool;
  cineFps?: number;
  measurements: number;
  /** Rendered frames since the stack was set; tests wait on it instead of on timers. */
  renders: number;
  /** Why the current image could not be shown; cleared when an image is shown. */
  error?: ImagingFailure;
}

type VoiRange = { lower: number; upper: number };

function sameRange(a: VoiRange | undefined, b: VoiRange | undefined): boolean {
  return a !== undefined && b !== undefined && a.lower === b.lower && a.upper === b.upper;
}

export interface StackViewerActions {
  scrollTo(index: number): void;
  scrollBy(delta: number): void;
  setWindow(width: number, center: number): void;
  toggleInvert(): void;
  reset(): void;
  setTool(tool: PrimaryTool): void;
  play(fps: number): void;
  stop(): void;
}

const INITIAL: StackViewerState = { ready: false, index: 0, count: 0, invert: false, tool: 'window-level', measurements: 0, renders: 0 };

let nextId = 0;

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
    const id = `huizhen-imaging-${++nextId}`;
    const engine = new RenderingEngine(id);
    engine.enableElement({ viewportId: id, type: CoreEnums.ViewportType.STACK, element: el, defaultOptions: { background: [0, 0, 0] } });
    const viewport = engine.getViewport(id) as Types.IStackViewport;
    viewportRef.current = viewport;
    const group = ToolGroupManager.createToolGroup(id);
    toolGroupIdRef.current = id;
    if (group) {
      for (const name of Object.values(TOOL_NAMES)) group.addTool(name);
      group.addTool(StackScrollTool.toolName);
      group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
      group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
      group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] });
      group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] });
      for (const name of ANNOTATION_TOOLS) group.setToolPassive(name);
      group.addViewport(id, id);
    }
    let alive = true;
    const sync = (patch: Partial<StackViewerState> = {}) => {
      if (!alive) return;
      const props = viewport.getProperties();
      const win = props.voiRange ? windowOf(props.voiRange) : undefined;
      setState((s) => ({
        ...s,
        index: viewport.getCurrentImageIdIndex(),
        count: series.imageIds.length,
        ...(win ? { windowWidth: Math.round(win.width), windowCenter: Math.round(win.center) } : {}),
        invert: props.invert ?? false,
        ...patch,
      }));
    };
    const onRendered = () => setState((s) => ({ ...s, renders: s.renders + 1 }));
    const applyWindow = () => {
      const chosen = windowRef.current;
      if (!chosen || sameRange(viewport.getProperties().voiRange, chosen)) return;
      viewport.setProperties({ voiRange: chosen });
      viewport.render();
    };
    // STACK_NEW_IMAGE fires before Cornerstone updates the viewport to the new image (CPU path):
    // settle the window after that synchronous update, then read the state.
    const onNewImage = () =>
      queueMicrotask(() => {
        if (!alive) return;
        applyWindow();
        sync();
        setState((s) => (s.error ? { ...s, error: undefined } : s));
      });
    const onVoi = (event: Event) => {
      // A window set through setProperties (presets, the W/L drag tool, ours) is the reader's.
      const range = (event as CustomEvent<{ range?: VoiRange }>).detail?.range;
      if (range && viewport.getProperties().isComputedVOI === false) windowRef.current = { lower: range.lower, upper: range.upper };
      sync();
    };
    const countMeasurements = () => {
      if (!alive) return;
      const count = annotation.state.getAllAnnotations().filter((a) => ANNOTATION_TOOLS.has(a.metadata?.toolName ?? "")).length;
      setState((s) => ({ ...s, measurements: count }));
    };
    el.addEventListener(CoreEnums.Events.IMAGE_RENDERED, onRendered);
    el.addEventListener(CoreEnums.Events.STACK_NEW_IMAGE, onNewImage);
    el.addEventListener(CoreEnums.Events.VOI_MODIFIED, onVoi);
    eventTarget.addEventListener(ToolEnums.Events.ANNOTATION_COMPLETED, countMeasurements);
    eventTarget.addEventListener(ToolEnums.Events.ANNOTATION_REMOVED, countMeasurements);
    const resize = new ResizeObserver(() => {
      if (el.clientWidth > 0 && el.clientHeight > 0) engine.resize(true, true);
    });
    resize.observe(el);

    const middle = Math.floor(series.imageIds.length / 2);
    windowRef.current = undefined;
    setState({ ...INITIAL, count: series.imageIds.length, index: middle });
    viewport
      .setStack(series.imageIds, middle)
      .then(() => {
        if (!alive) return;
        // The first slice's own window becomes the reader's until they change it.
        const first = viewport.getProperties().voiRange;
        if (first) windowRef.current = { lower: first.lower, upper: first.upper };
        viewport.render();
        toolUtilities.stackPrefetch.enable(el);
        sync({ ready: true });
      })
      .catch((error: unknown) => {
        if (alive) setState((s) => ({ ...s, error: failureOf(error) }));
      });

    return () => {
      alive = false;
      resize.disconnect();
      toolUtilities.cine.stopClip(el);
      toolUtilities.stackPrefetch.disable(el);
      el.removeEventListener(CoreEnums.Events.IMAGE_RENDERED, onRendered);
      el.removeEventListener(CoreEnums.Events.STACK_NEW_IMAGE, onNewImage);
      el.removeEventListener(CoreEnums.Events.VOI_MODIFIED, onVoi);
      eventTarget.removeEventListener(ToolEnums.Events.ANNOTATION_COMPLETED, countMeasurements);
      eventTarget.removeEventListener(ToolEnums.Events.ANNOTATION_REMOVED, countMeasurements);
      annotation.state.removeAllAnnotations();
      ToolGroupManager.destroyToolGroup(id);
      engine.destroy();
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

  const actions: StackViewerActions = {
    scrollTo,
    scrollBy: (delta) => {
      const viewport = viewportRef.current;
      if (viewport) scrollTo(viewport.getCurrentImageIdIndex() + delta);
    },
    setWindow: (width, center) => {
      const viewport = viewportRef.current;
      if (!viewport) return;
      windowRef.current = voiRange(width, center);
      viewport.setProperties({ voiRange: windowRef.current });
      viewport.render();
      setState((s) => ({ ...s, windowWidth: Math.round(width), windowCenter: Math.round(center) }));
    },
    toggleInvert: () => {
      const viewport = viewportRef.current;
      if (!viewport) return;
      viewport.setProperties({ invert: !(viewport.getProperties().invert ?? false) });
      viewport.render();
      setState((s) => ({ ...s, invert: viewport.getProperties().invert ?? false }));
    },
    reset: () => {
      const viewport = viewportRef.current;
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
      setState((s) => ({ ...s, invert: props.invert ?? false, ...(win ? { windowWidth: Math.round(win.width), windowCenter: Math.round(win.center) } : {}) }));
    },
    setTool: (tool) => {
      const groupId = toolGroupIdRef.current;
      const group = groupId ? ToolGroupManager.getToolGroup(groupId) : undefined;
      if (!group) return;
      const current = TOOL_NAMES[state.tool];
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
      if (!el || !viewportRef.current) return;
      toolUtilities.cine.playClip(el, { framesPerSecond: fps, loop: true });
      setState((s) => ({ ...s, cineFps: fps }));
    },
    stop: () => {
      const el = element.current;
      if (el) toolUtilities.cine.stopClip(el);
      setState((s) => ({ ...s, cineFps: undefined }));
    },
  };
  return [state, actions];
}
