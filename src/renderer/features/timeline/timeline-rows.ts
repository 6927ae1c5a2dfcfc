import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { bucketKey, type ClinicalTime } from '../../lib/clinical-time.ts';
import { isAbnormal } from './timeline-filter.ts';
import type { TimedEntry } from './timeline-sort.ts';

export const UNDATED_KEY = 'undated';
/** The header key of entries that name no encounter (or one this patient's record lacks). */
export const NO_ENCOUNTER_KEY = 'encounter:none';

export type GroupBy = 'day' | 'encounter';

export type TimelineRow =
  | { type: 'day'; key: string; time: ClinicalTime | undefined; count: number }
  | {
      type: 'encounter';
      key: string;
      /** The Encounter entry; undefined for the "not linked to a visit" group. */
      entry: TimelineEntry | undefined;
      time: ClinicalTime | undefined;
      count: number;
      collapsed: boolean;
    }
  | {
      type: 'panel';
      key: string;
      /** The report (DiagnosticReport) the results belong to. */
      entry: TimelineEntry;
      time: ClinicalTime | undefined;
      /** Results shown (after filtering) / results in the report. */
      count: number;
      total: number;
      abnormal: number;
      collapsed: boolean;
      depth: number;
      parentKey: string | undefined;
    }
  | { type: 'entry'; key: string; entry: TimelineEntry; time: ClinicalTime | undefined; depth: number; parentKey: string | undefined };

export type SelectableRow = Exclude<TimelineRow, { type: 'day' }>;

/** Lookups over the whole (unfiltered) timeline: a group's header must show even if filtered out. */
export interface TimelineIndex {
  byId: ReadonlyMap<string, TimedEntry>;
  /** Report id → number of results that name it as their panel. */
  panelSize: ReadonlyMap<string, number>;
}

export function indexEntries(sorted: readonly TimedEntry[]): TimelineIndex {
  const byId = new Map<string, TimedEntry>();
  for (const item of sorted) byId.set(item.entry.id, item);
  const panelSize = new Map<string, number>();
  for (const { entry } of sorted) {
    if (entry.panelId && entry.panelId !== entry.id && byId.has(entry.panelId)) {
      panelSize.set(entry.panelId, (panelSize.get(entry.panelId) ?? 0) + 1);
    }
  }
  return { byId, panelSize };
}

type Unit = { kind: 'entry'; item: TimedEntry } | { kind: 'panel'; report: TimedEntry; matched: boolean; children: TimedEntry[] };

/** Folds results into their report: the panel sits where its newest visible member would. */
function toUnits(sorted: readonly TimedEntry[], index: TimelineIndex): Unit[] {
  const panels = new Map<string, Extract<Unit, { kind: 'panel' }>>();
  const units: Unit[] = [];
  for (const item of sorted) {
    const e = item.entry;
    const isReport = index.panelSize.has(e.id);
    const panelId = isReport ? e.id : e.panelId && index.panelSize.has(e.panelId) ? e.panelId : undefined;
    if (!panelId) {
      units.push({ kind: 'entry', item });
      continue;
    }
    let unit = panels.get(panelId);
    if (!unit) {
      unit = { kind: 'panel', report: index.byId.get(panelId)!, matched: false, children: [] };
      panels.set(panelId, unit);
      units.push(unit);
    }
    if (isReport) unit.matched = true;
    else unit.children.push(item);
  }
  return units;
}

const unitTime = (u: Unit) => (u.kind === 'entry' ? u.item.time : (u.report.time ?? u.children[0]?.time));
const unitCount = (u: Unit) => (u.kind === 'entry' ? 1 : (u.matched ? 1 : 0) + u.children.length);

function emitUnit(
  rows: TimelineRow[],
  u: Unit,
  depth: number,
  parentKey: string | undefined,
  index: TimelineIndex,
  collapsed: ReadonlySet<string>,
) {
  if (u.kind === 'entry') {
    rows.push({ type: 'entry', key: u.item.entry.id, entry: u.item.entry, time: u.item.time, depth, parentKey });
    return;
  }
  const key = u.report.entry.id;
  const isCollapsed = collapsed.has(key);
  rows.push({
    type: 'panel',
    key,
    entry: u.report.entry,
    time: unitTime(u),
    count: u.children.length,
    total: index.panelSize.get(key) ?? u.children.length,
    abnormal: u.children.filter((c) => isAbnormal(c.entry)).length,
    collapsed: isCollapsed,
    depth,
    parentKey,
  });
  if (isCollapsed) return;
  for (const c of u.children) rows.push({ type: 'entry', key: c.entry.id, entry: c.entry, time: c.time, depth: depth + 1, parentKey: key });
}

function byDay(units: readonly Unit[], index: TimelineIndex, collapsed: ReadonlySet<string>): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let heading: Extract<TimelineRow, { type: 'day' }> | undefined;
  for (const u of units) {
    const time = unitTime(u);
    const key = time ? bucketKey(time) : UNDATED_KEY;
    if (!heading || heading.key !== key) {
      heading = { type: 'day', key, time, count: 0 };
      rows.push(heading);
    }
    heading.count += unitCount(u);
    emitUnit(rows, u, 0, undefined, index, collapsed);
  }
  return rows;
}

function encounterOf(u: Unit, index: TimelineIndex): string {
  const e = u.kind === 'entry' ? u.item.entry : u.report.entry;
  const id = e.encounterId ?? (u.kind === 'panel' ? u.children.find((c) => c.entry.encounterId)?.entry.encounterId : undefined);
  return id && index.byId.get(id)?.entry.kind === 'encounter' ? id : NO_ENCOUNTER_KEY;
}

function byEncounter(units: readonly Unit[], index: TimelineIndex, collapsed: ReadonlySet<string>): TimelineRow[] {
  const groups = new Map<string, Unit[]>();
  const group = (key: string) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    return g;
  };
  for (const u of units) {
    // An encounter that matched the filter is its group's header, not a member.
    if (u.kind === 'entry' && u.item.entry.kind === 'encounter') group(u.item.entry.id);
    else group(encounterOf(u, index)).push(u);
  }
  const keys = [...groups.keys()].sort((a, b) => {
    if (a === NO_ENCOUNTER_KEY || b === NO_ENCOUNTER_KEY) return a === NO_ENCOUNTER_KEY ? 1 : -1;
    const ta = index.byId.get(a)?.time?.ms ?? -Infinity;
    const tb = index.byId.get(b)?.time?.ms ?? -Infinity;
    return tb - ta || (a < b ? -1 : a > b ? 1 : 0);
  });
  const rows: TimelineRow[] = [];
  for (const key of keys) {
    const members = groups.get(key)!;
    const header = key === NO_ENCOUNTER_KEY ? undefined : index.byId.get(key);
    const isCollapsed = collapsed.has(key);
    rows.push({
      type: 'encounter',
      key,
      entry: header?.entry,
      time: header?.time,
      count: members.reduce((n, u) => n + unitCount(u), 0),
      collapsed: isCollapsed,
    });
    if (!isCollapsed) for (const u of members) emitUnit(rows, u, 1, key, index, collapsed);
  }
  return rows;
}

export interface BuildRowsOptions {
  groupBy?: GroupBy;
  /** The unfiltered timeline, so a group's header shows even when only its members match. */
  index?: TimelineIndex;
  /** Keys of collapsed panel and encounter headers. */
  collapsed?: ReadonlySet<string>;
}

/**
 * Flattens sorted, filtered entries into the rows the list renders: day headings (or encounter
 * headers) and, within them, lab panels (the report as a header, its results indented).
 */
export function buildRows(sorted: readonly TimedEntry[], options: BuildRowsOptions = {}): TimelineRow[] {
  const index = options.index ?? indexEntries(sorted);
  const collapsed = options.collapsed ?? new Set<string>();
  const units = toUnits(sorted, index);
  return options.groupBy === 'encounter' ? byEncounter(units, index, collapsed) : byDay(units, index, collapsed);
}
