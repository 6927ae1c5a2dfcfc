import { Enums as CoreEnums, RenderingEngine, cache, eventTarget, type Types } from '@cornerstonejs/core';
import {
  Enums as ToolEnums,
  PanTool,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  annotation,
  utilities as toolUtilities,
} from '@cornerstonejs/tools';
import type { Dispatch, MutableRefObject, SetStateAction } from 'react';
import { createDecodedTally } from './decoded-tally.ts';
import { stackBytes } from './image-budget.ts';
import { holdStack, yieldPrefetchToScroll } from './image-memory.ts';
import { failureOf } from './imaging-failure.ts';
import type { LoadedSeries } from './series-loader.ts';
import { ANNOTATION_TOOLS, INITIAL, TOOL_NAMES, type StackViewerState, type VoiRange } from './stack-viewer-state.ts';
import { windowOf } from './window-presets.ts';

function sameRange(a: VoiRange | undefined, b: VoiRange | undefined): boolean {
  return a !== undefined && b !== undefined && a.lower === b.lower && a.upper === b.upper;
}

let nextId = 0;

/**
 * Viewports whose stack is prefetching. Cornerstone's stackPrefetch.disable clears the whole
 * prefetch queue, every viewport's (tools 5.14): a prior leaving the layout (key 1) left
 * the current series with part of its frames never fetched until the reader scrolled (a bench
 * visit waited 300 s at fewer than 200 of 200). Whoever stops prefetching restarts the others;
 * the restart skips frames already decoded.
 */
const prefetching = new Set<HTMLDivElement>();

function stopPrefetch(el: HTMLDivElement): void {
  prefetching.delete(el);
  toolUtilities.stackPrefetch.disable(el);
  for (const other of prefetching) toolUtilities.stackPrefetch.enable(other);
}

/** The viewport's tool group: W/L on the left button, pan middle, zoom right, scroll on the wheel, measurements passive. */
function createToolGroup(id: string): void {
  const group = ToolGroupManager.createToolGroup(id);
  if (!group) return;
  for (const name of Object.values(TOOL_NAMES)) group.addTool(name);
  group.addTool(StackScrollTool.toolName);
  group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
  group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
  group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] });
  group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] });
  for (const name of ANNOTATION_TOOLS) group.setToolPassive(name);
  group.addViewport(id, id);
}

/**
 * Keeps `data-decoded-count` on the element: how many of the stack's slices are decoded in the
 * cache now. Written on the element, not through React: 200 arrivals would be 200 re-renders of
 * the panel on the thread that also decodes and scrolls, and nothing on screen shows the count.
 */
function showDecodedCount(el: HTMLDivElement, imageIds: readonly string[]): () => void {
  const tally = createDecodedTally(imageIds, (imageId) => cache.isLoaded(imageId));
  const show = () => {
    el.dataset.decodedCount = String(tally.count);
  };
  const onLoaded = (event: Event) => {
    const imageId = (event as CustomEvent<{ image?: { imageId?: string } }>).detail?.image?.imageId;
    if (imageId && tally.loaded(imageId)) show();
  };
  const onEvicted = (event: Event) => {
    const imageId = (event as CustomEvent<{ imageId?: string }>).detail?.imageId;
    if (imageId && tally.removed(imageId)) show();
  };
  show();
  eventTarget.addEventListener(CoreEnums.Events.IMAGE_LOADED, onLoaded);
  eventTarget.addEventListener(CoreEnums.Events.IMAGE_CACHE_IMAGE_REMOVED, onEvicted);
  return () => {
    eventTarget.removeEventListener(CoreEnums.Events.IMAGE_LOADED, onLoaded);
    eventTarget.removeEventListener(CoreEnums.Events.IMAGE_CACHE_IMAGE_REMOVED, onEvicted);
    delete el.dataset.decodedCount;
  };
}

export interface MountedViewport {
  viewport: Types.IStackViewport;
  toolGroupId: string;
  unmount(): void;
}

/**
 * Creates the rendering engine, viewport and tool group on `el`, shows `series` from its middle
 * slice and keeps `setState` in step with the viewport's events until `unmount`.
 */
export function mountStackViewport(
  el: HTMLDivElement,
  series: LoadedSeries,
  windowRef: MutableRefObject<VoiRange | undefined>,
  setState: Dispatch<SetStateAction<StackViewerState>>,
): MountedViewport {
  const id = `huizhen-imaging-${++nextId}`;
  const engine = new RenderingEngine(id);
  engine.enableElement({ viewportId: id, type: CoreEnums.ViewportType.STACK, element: el, defaultOptions: { background: [0, 0, 0] } });
  const viewport = engine.getViewport(id) as Types.IStackViewport;
  createToolGroup(id);
  let alive = true;
  // React hears of the viewport once per animation frame at most. Each scroll step fires a new
  // image and a render event, and in 1×2 the follower fires both too: a state update for each
  // re-rendered the whole panel four times per step, which the linked scroll paid for on the
  // two cores it shares with the CPU renderer. The flush reads the viewport as it is then, so
  // steps the reader has already scrolled past are never rendered by React at all.
  let patch: Partial<StackViewerState> = {};
  let rendered = 0;
  let frame = 0;
  const flush = () => {
    frame = 0;
    if (!alive) return;
    const props = viewport.getProperties();
    const win = props.voiRange ? windowOf(props.voiRange) : undefined;
    const add = rendered;
    const extra = patch;
    rendered = 0;
    patch = {};
    setState((s) => ({
      ...s,
      index: viewport.getCurrentImageIdIndex(),
      count: series.imageIds.length,
      ...(win ? { windowWidth: Math.round(win.width), windowCenter: Math.round(win.center) } : {}),
      invert: props.invert ?? false,
      renders: s.renders + add,
      ...extra,
    }));
  };
  const sync = (more: Partial<StackViewerState> = {}) => {
    if (!alive) return;
    patch = { ...patch, ...more };
    frame ||= requestAnimationFrame(flush);
  };
  const onRendered = () => {
    rendered += 1;
    sync();
  };
  const applyWindow = () => {
    const chosen = windowRef.current;
    if (!chosen || sameRange(viewport.getProperties().voiRange, chosen)) return;
    viewport.setProperties({ voiRange: chosen });
    viewport.render();
  };
  // STACK_NEW_IMAGE fires before Cornerstone updates the viewport to the new image (CPU path):
  // settle the window after that synchronous update, then read the state.
  let settling = false;
  const onNewImage = () => {
    settling = true;
    queueMicrotask(() => {
      settling = false;
      if (!alive) return;
      applyWindow();
      sync({ error: undefined });
    });
  };
  const onVoi = (event: Event) => {
    // Every window change but a new slice's own default is the reader's: presets, the W/L drag
    // tool, a linked viewport's window. (Cornerstone's isComputedVOI cannot tell: its CPU path
    // never clears it, so a dragged window used to fall back to the last preset on the next slice.)
    const range = (event as CustomEvent<{ range?: VoiRange }>).detail?.range;
    if (range && !settling) windowRef.current = { lower: range.lower, upper: range.upper };
    sync();
  };
  const countMeasurements = () => {
    if (!alive) return;
    const count = annotation.state.getAllAnnotations().filter((a) => ANNOTATION_TOOLS.has(a.metadata?.toolName ?? '')).length;
    setState((s) => ({ ...s, measurements: count }));
  };
  const stopDecodedCount = showDecodedCount(el, series.imageIds);
  // The wheel is the reader's own scrolling (keys and the slider come through scrollTo); a
  // linked viewport following, or lining up when it opens, is not, and must not slow the prefetch.
  el.addEventListener('wheel', yieldPrefetchToScroll, { passive: true });
  el.addEventListener(CoreEnums.Events.IMAGE_RENDERED, onRendered);
  el.addEventListener(CoreEnums.Events.STACK_NEW_IMAGE, onNewImage);
  el.addEventListener(CoreEnums.Events.VOI_MODIFIED, onVoi);
  eventTarget.addEventListener(ToolEnums.Events.ANNOTATION_COMPLETED, countMeasurements);
  eventTarget.addEventListener(ToolEnums.Events.ANNOTATION_REMOVED, countMeasurements);
  const resize = new ResizeObserver(() => {
    if (el.clientWidth > 0 && el.clientHeight > 0) engine.resize(true, true);
  });
  resize.observe(el);

  const release = holdStack(id, series.imageIds, stackBytes(series.datasets));
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
      prefetching.add(el);
      sync({ ready: true });
    })
    .catch((error: unknown) => {
      if (alive) setState((s) => ({ ...s, error: failureOf(error) }));
    });

  const unmount = () => {
    alive = false;
    cancelAnimationFrame(frame);
    resize.disconnect();
    toolUtilities.cine.stopClip(el);
    stopPrefetch(el);
    stopDecodedCount();
    el.removeEventListener('wheel', yieldPrefetchToScroll);
    el.removeEventListener(CoreEnums.Events.IMAGE_RENDERED, onRendered);
    el.removeEventListener(CoreEnums.Events.STACK_NEW_IMAGE, onNewImage);
    el.removeEventListener(CoreEnums.Events.VOI_MODIFIED, onVoi);
    eventTarget.removeEventListener(ToolEnums.Events.ANNOTATION_COMPLETED, countMeasurements);
    eventTarget.removeEventListener(ToolEnums.Events.ANNOTATION_REMOVED, countMeasurements);
    annotation.state.removeAllAnnotations();
    ToolGroupManager.destroyToolGroup(id);
    engine.destroy();
    release();
  };
  return { viewport, toolGroupId: id, unmount };
}
