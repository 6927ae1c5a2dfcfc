import type { TimelineRow } from './timeline-rows.ts';

/** Fixed row heights (px) so long timelines can be windowed; keep in step with timeline.css. */
export const DAY_ROW_HEIGHT = 26;
export const ENCOUNTER_ROW_HEIGHT = 44;
export const ENTRY_ROW_HEIGHT = 50;
/** Below this many rows everything is in the DOM; above it only what is near the viewport. */
export const VIRTUALIZE_ABOVE = 300;

export function rowHeight(row: TimelineRow): number {
  switch (row.type) {
    case 'day':
      return DAY_ROW_HEIGHT;
    case 'encounter':
      return ENCOUNTER_ROW_HEIGHT;
    default:
      return ENTRY_ROW_HEIGHT;
  }
}

/** offsets[i] = top of row i; offsets[rows.length] = total height. */
export function rowOffsets(rows: readonly TimelineRow[]): number[] {
  const offsets = new Array<number>(rows.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < rows.length; i++) offsets[i + 1] = offsets[i]! + rowHeight(rows[i]!);
  return offsets;
}

/** The rows [start, end) that intersect [top - overscan, top + height + overscan]. */
export function visibleRange(offsets: readonly number[], top: number, height: number, overscan = 400): [number, number] {
  const count = offsets.length - 1;
  const lo = Math.max(0, top - overscan);
  const hi = top + height + overscan;
  let a = 0;
  let b = count;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (offsets[mid + 1]! <= lo) a = mid + 1;
    else b = mid;
  }
  let end = a;
  while (end < count && offsets[end]! < hi) end++;
  return [a, end];
}

export type KeyAction = { select: string } | { collapse: string } | { expand: string };

const isChildOf = (row: TimelineRow | undefined, key: string) => (row?.type === 'panel' || row?.type === 'entry') && row.parentKey === key;

/**
 * The tree keyboard model of the list: ↑↓ PgUp PgDn Home End move over every row but day
 * headings (group headers included); → expands a collapsed header or steps into it; ← collapses
 * an expanded header or steps out to the parent header.
 */
export function keyAction(rows: readonly TimelineRow[], selectedRow: number, key: string): KeyAction | undefined {
  const selectable: number[] = [];
  for (let i = 0; i < rows.length; i++) if (rows[i]!.type !== 'day') selectable.push(i);
  if (selectable.length === 0) return undefined;
  const pos = selectable.indexOf(selectedRow);
  const last = selectable.length - 1;
  const at = (p: number): KeyAction => ({ select: rows[selectable[p]!]!.key });
  const row = rows[selectedRow];
  switch (key) {
    case 'ArrowDown':
      return at(pos < 0 ? 0 : Math.min(last, pos + 1));
    case 'ArrowUp':
      return at(pos < 0 ? 0 : Math.max(0, pos - 1));
    case 'PageDown':
      return at(Math.min(last, Math.max(0, pos) + 10));
    case 'PageUp':
      return at(Math.max(0, pos - 10));
    case 'Home':
      return at(0);
    case 'End':
      return at(last);
    case 'ArrowRight':
      if (!row || (row.type !== 'panel' && row.type !== 'encounter')) return undefined;
      if (row.collapsed) return { expand: row.key };
      return isChildOf(rows[selectedRow + 1], row.key) ? { select: rows[selectedRow + 1]!.key } : undefined;
    case 'ArrowLeft':
      if (!row || row.type === 'day') return undefined;
      if ((row.type === 'panel' || row.type === 'encounter') && !row.collapsed) return { collapse: row.key };
      return row.type !== 'encounter' && row.parentKey ? { select: row.parentKey } : undefined;
    default:
      return undefined;
  }
}
