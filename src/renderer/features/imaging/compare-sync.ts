/**
 * Links the viewports of a comparison: scrolling by slice position and, optionally, the window.
 * Both ride on Cornerstone's SynchronizerManager. The window uses the library's VOI synchronizer
 * as is; its image-slice synchronizer does not fit (it needs every viewport in one rendering
 * engine, measures 3D distance and registers different frames of reference), so scrolling uses
 * a synchronizer of the same kind with our own callback, matching by position along the normal.
 */
import { Enums as CoreEnums, getRenderingEngine, metaData, type Types } from '@cornerstonejs/core';
import { SynchronizerManager, synchronizers } from '@cornerstonejs/tools';
import { sameBodyPart } from './compare-layout.ts';
import type { ImagingStudyRef } from './imaging-study-refs.ts';
import { scrollLink } from './scroll-link.ts';
import { matchingSlice, type SlicePlane } from './slice-position.ts';

type ViewportInfo = Types.IViewportId;

export interface CompareSync {
  /** Adds a mounted viewport; cell 0 (the current study) is the one others align to when they open. Returns its detach. */
  attach(cell: number, viewport: Types.IStackViewport): () => void;
  setScrollLinked(on: boolean): void;
  setWindowLinked(on: boolean): void;
  /**
   * The patient's studies: scrolling links only parallel stacks of one frame of reference or
   * body part (a head MR does not follow a chest CT, a sagittal reformat not an axial stack).
   */
  setStudies(studies: readonly ImagingStudyRef[]): void;
  destroy(): void;
}

let nextId = 0;

function stackOf(info: ViewportInfo): Types.IStackViewport | undefined {
  const viewport = getRenderingEngine(info.renderingEngineId)?.getViewport(info.viewportId);
  return viewport && 'getImageIds' in viewport ? (viewport as Types.IStackViewport) : undefined;
}

const planeOf = (imageId: string): SlicePlane => (metaData.get('imagePlaneModule', imageId) as SlicePlane | undefined) ?? {};

/**
 * The planes of a follower's whole stack, read once per stack. A linked scroll step looks up the
 * slice nearest the source's among all of them; asking the metadata providers again each step
 * (an object built per image id: 120 for the demo's prior) was work on the thread that also
 * draws both viewports. Keyed by the viewport's own image-id array, which a new stack replaces.
 */
const stackPlanes = new WeakMap<readonly string[], SlicePlane[]>();
function planesOf(imageIds: readonly string[]): SlicePlane[] {
  let planes = stackPlanes.get(imageIds);
  if (!planes) {
    planes = imageIds.map(planeOf);
    stackPlanes.set(imageIds, planes);
  }
  return planes;
}

/** The study of a wadors image id as series-loader builds it (…/studies/<uid>/series/…). */
const studyUidOf = (imageId: string | undefined): string | undefined =>
  imageId ? /\/studies\/([0-9.]+)\/series\//.exec(imageId)?.[1] : undefined;

export function createCompareSync(initial: { scroll: boolean; window: boolean }): CompareSync {
  let linked = { ...initial };
  let slice: ReturnType<typeof SynchronizerManager.createSynchronizer> | undefined;
  let voi: ReturnType<typeof synchronizers.createVOISynchronizer> | undefined;
  const cells = new Map<number, ViewportInfo>();
  /** The index each viewport was last moved to by the synchronizer: its own new-image event then starts nothing. */
  const driven = new Map<string, number>();
  let studies = new Map<string, ImagingStudyRef>();

  const comparable = (a: Types.IStackViewport, b: Types.IStackViewport): boolean => {
    const idA = a.getCurrentImageId();
    const idB = b.getImageIds()[0];
    if (!idA || !idB) return false;
    const sa = studies.get(studyUidOf(idA) ?? '');
    const sb = studies.get(studyUidOf(idB) ?? '');
    return scrollLink(planeOf(idA), planeOf(idB), !sa || !sb || sa === sb || sameBodyPart(sa, sb)).linked;
  };

  /** Targets being aligned: a scroll's next steps join the running alignment instead of queueing one each. */
  const busy = new Set<string>();

  /**
   * Moves `target` to the slice nearest the source's, again while the source moved on meanwhile.
   * One alignment per target at a time: a fast scroll fires a new-image event per step, and one
   * `setImageIdIndex` (and render) per step on the follower made the driven viewport drop to a
   * seventh of its rate alone (docs/benchmarks.md); the running one re-reads the source after each move.
   */
  const align = async (source: Types.IStackViewport, target: Types.IStackViewport): Promise<void> => {
    if (busy.has(target.id)) return;
    busy.add(target.id);
    try {
      for (;;) {
        const sourceId = source.getCurrentImageId();
        const targetIds = target.getImageIds();
        if (!sourceId || targetIds.length === 0 || !comparable(source, target)) return;
        const index = matchingSlice(planeOf(sourceId), planesOf(targetIds));
        if (index === undefined || index === target.getCurrentImageIdIndex()) return;
        driven.set(target.id, index);
        await target.setImageIdIndex(index);
        // A move that did not happen (the stack was replaced) must not loop.
        if (target.getCurrentImageIdIndex() !== index) return;
      }
    } finally {
      busy.delete(target.id);
    }
  };

  const onSlice = async (_sync: unknown, source: ViewportInfo, target: ViewportInfo): Promise<void> => {
    const from = stackOf(source);
    const to = stackOf(target);
    if (!from || !to) return;
    const at = from.getCurrentImageIdIndex();
    if (driven.get(from.id) === at) return;
    driven.delete(from.id);
    await align(from, to).catch(() => undefined);
  };

  // Created on first use, so a StrictMode remount after destroy() gets fresh ones.
  const ensure = () => {
    if (!slice || !voi) {
      nextId += 1;
      slice = SynchronizerManager.createSynchronizer(`huizhen-compare-slice-${nextId}`, CoreEnums.Events.STACK_NEW_IMAGE, onSlice);
      voi = synchronizers.createVOISynchronizer(`huizhen-compare-voi-${nextId}`, { syncInvertState: false, syncColormap: false });
      slice.setEnabled(linked.scroll);
      voi.setEnabled(linked.window);
    }
    return { slice, voi };
  };

  const current = (): Types.IStackViewport | undefined => {
    const anchor = cells.get(0);
    return anchor ? stackOf(anchor) : undefined;
  };

  const alignToCurrent = (viewport: Types.IStackViewport) => {
    const from = current();
    if (linked.scroll && from && from !== viewport) align(from, viewport).catch(() => undefined);
  };

  /** The current study's viewport opened a new series: the others follow it to its slice. */
  const alignOthersTo = (viewport: Types.IStackViewport) => {
    if (!linked.scroll) return;
    for (const [cell, info] of cells) {
      const other = cell !== 0 ? stackOf(info) : undefined;
      if (other) align(viewport, other).catch(() => undefined);
    }
  };

  /** Another viewport opened: at the current study's slice and, when linked, in its window. */
  const joinCurrent = (viewport: Types.IStackViewport) => {
    alignToCurrent(viewport);
    const range = linked.window ? current()?.getProperties().voiRange : undefined;
    if (!range) return;
    viewport.setProperties({ voiRange: { lower: range.lower, upper: range.upper } });
    viewport.render();
  };

  return {
    attach(cell, viewport) {
      const info: ViewportInfo = { renderingEngineId: viewport.renderingEngineId, viewportId: viewport.id };
      const { slice: s, voi: v } = ensure();
      cells.set(cell, info);
      v.addTarget(info);
      s.addTarget(info);
      // A viewport becomes a source once its first image is up and lined up with the others:
      // before that, its opening at the middle slice and in its file's window would move them.
      // (A microtask: Cornerstone updates the viewport to the image right after the event.)
      const onFirst = () =>
        queueMicrotask(() => {
          if (cells.get(cell) !== info) return;
          if (cell === 0) alignOthersTo(viewport);
          else joinCurrent(viewport);
          s.addSource(info);
          v.addSource(info);
        });
      viewport.element.addEventListener(CoreEnums.Events.STACK_NEW_IMAGE, onFirst, { once: true });
      return () => {
        viewport.element.removeEventListener(CoreEnums.Events.STACK_NEW_IMAGE, onFirst);
        if (cells.get(cell) === info) cells.delete(cell);
        driven.delete(info.viewportId);
        s.remove(info);
        v.remove(info);
      };
    },
    setScrollLinked(on) {
      linked = { ...linked, scroll: on };
      slice?.setEnabled(on);
      // Linking again lines the others up with the current study at once.
      if (!on) return;
      for (const [cell, info] of cells) {
        const viewport = cell !== 0 ? stackOf(info) : undefined;
        if (viewport) alignToCurrent(viewport);
      }
    },
    setWindowLinked(on) {
      linked = { ...linked, window: on };
      voi?.setEnabled(on);
    },
    setStudies(list) {
      studies = new Map(list.map((s) => [s.studyUid, s]));
    },
    destroy() {
      if (slice) SynchronizerManager.destroySynchronizer(slice.id);
      if (voi) SynchronizerManager.destroySynchronizer(voi.id);
      slice = undefined;
      voi = undefined;
      cells.clear();
      driven.clear();
    },
  };
}
