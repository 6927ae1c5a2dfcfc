/** A study or series dragged from the sidebar onto a viewport: its UIDs as JSON under our own type, checked on drop. */
import type { DragEvent } from 'react';
import { z } from 'zod';
import type { CellSpec } from './use-compare-layout.ts';

const DRAG_TYPE = 'application/x-huizhen-series';
const DraggedSchema = z.object({ studyUid: z.string().min(1), seriesUid: z.string().min(1).optional() });

export function startSeriesDrag(e: DragEvent<HTMLElement>, spec: CellSpec): void {
  e.dataTransfer.setData(DRAG_TYPE, JSON.stringify(spec));
  e.dataTransfer.effectAllowed = 'copy';
}

/** For dragover: only our drags make a viewport a drop target. */
export function carriesSeries(e: DragEvent<HTMLElement>): boolean {
  return e.dataTransfer.types.includes(DRAG_TYPE);
}

export function droppedSeries(e: DragEvent<HTMLElement>): CellSpec | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(e.dataTransfer.getData(DRAG_TYPE));
  } catch {
    return undefined;
  }
  const parsed = DraggedSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  return parsed.data.seriesUid ? { studyUid: parsed.data.studyUid, seriesUid: parsed.data.seriesUid } : { studyUid: parsed.data.studyUid };
}

/** The drop-target props of a viewport that shows what is dropped on it through `onSeries`. */
export function seriesDropTarget(onSeries: (spec: CellSpec) => void) {
  return {
    onDragOver: (e: DragEvent<HTMLElement>) => {
      if (!carriesSeries(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    },
    onDrop: (e: DragEvent<HTMLElement>) => {
      const spec = droppedSeries(e);
      if (!spec) return;
      e.preventDefault();
      onSeries(spec);
    },
  };
}
