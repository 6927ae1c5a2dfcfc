import type { TimelineKind } from '../../../shared/domain/timeline.ts';

/**
 * The timeline's view-model, pure and testable without a DOM: sorting, filtering, grouping into
 * rows, windowing and the keyboard model. One module per job; this one names the whole.
 */
export { abnormalFlag, type AbnormalFlag } from './entry-flags.ts';
export { sortEntries, type TimedEntry } from './timeline-sort.ts';
export {
  filterEntries,
  inDateRange,
  isAbnormal,
  kindCounts,
  sourceOptions,
  type SourceOption,
  type TimelineFilter,
} from './timeline-filter.ts';
export {
  buildRows,
  indexEntries,
  NO_ENCOUNTER_KEY,
  UNDATED_KEY,
  type BuildRowsOptions,
  type GroupBy,
  type SelectableRow,
  type TimelineIndex,
  type TimelineRow,
} from './timeline-rows.ts';
export {
  DAY_ROW_HEIGHT,
  ENCOUNTER_ROW_HEIGHT,
  ENTRY_ROW_HEIGHT,
  keyAction,
  rowHeight,
  rowOffsets,
  VIRTUALIZE_ABOVE,
  visibleRange,
  type KeyAction,
} from './timeline-window.ts';

/** Every kind in display order (the order of the filter chips). */
export const TIMELINE_KINDS: readonly TimelineKind[] = [
  'encounter',
  'condition',
  'observation',
  'report',
  'imaging',
  'medication',
  'procedure',
  'allergy',
  'immunization',
  'document',
  'other',
];
