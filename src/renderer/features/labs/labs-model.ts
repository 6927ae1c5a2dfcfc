import type { ObservationValue } from '../../../shared/domain/observation-value.ts';
import type { LabValue, TimelineEntry } from '../../../shared/domain/timeline.ts';
import { parseClinicalTime, type ClinicalTime } from '../../lib/clinical-time.ts';
import { labValueText, rangeText, unitText } from '../../lib/lab-value.ts';
import { abnormalFlag, type AbnormalFlag } from '../timeline/entry-flags.ts';
import { isVitalSignEntry } from '../vitals/index.ts';
import { analyteOrder, LAB_GROUPS, labGroupOf, type LabGroupKey } from './lab-groups.ts';

type NumberFormat = (value: number, options?: Intl.NumberFormatOptions) => string;

/** One specimen time, a column of the cumulative table. */
export interface LabColumn {
  key: string;
  time: ClinicalTime;
}

export interface LabCell {
  entry: TimelineEntry;
  value: number | undefined;
  /** The normalised value (without unit), or the source's text for non-numeric results. */
  text: string;
  flag: AbnormalFlag | undefined;
  /** "136 mg/dL" when the value was converted. */
  original: string | undefined;
  conflict: boolean;
}

export interface LabPoint {
  ms: number;
  value: number;
  flag: AbnormalFlag | undefined;
}

export interface LabRow {
  key: string;
  label: string;
  analyte: string | undefined;
  loinc: string | undefined;
  /** Display unit (µmol/L, ×10⁹/L); one row never mixes units. */
  unit: string;
  /** Reference range of the most recent result, without the unit (the table has a unit column). */
  range: string | undefined;
  /** The same with its unit, for the trend pane. */
  rangeWithUnit: string | undefined;
  low: number | undefined;
  high: number | undefined;
  group: LabGroupKey;
  cells: ReadonlyMap<string, readonly LabCell[]>;
  /** Numeric results, oldest first, for the trend chart. */
  points: readonly LabPoint[];
  latest: LabCell;
}

export interface LabGroup {
  key: LabGroupKey;
  rows: readonly LabRow[];
}

export interface LabTable {
  /** Newest first. */
  columns: readonly LabColumn[];
  groups: readonly LabGroup[];
  rowCount: number;
}

/** Observation categories that are not laboratory results (vital signs go to the timeline only). */
const NOT_LAB = new Set(['vital-signs', 'social-history', 'survey', 'exam', 'therapy', 'activity', 'procedure', 'imaging']);

/** Words a non-numeric value (a titre, 阴性/阳性, components); the screen passes the i18n one. */
export type WordValue = (value: ObservationValue) => string;

/**
 * A result's lab reading; a result the core could not normalise but that has a value of another
 * kind (a ratio, a coded finding, components) gets one from its LOINC, so it still has a row.
 */
function labOf(entry: TimelineEntry): LabValue {
  if (entry.lab) return entry.lab;
  const loinc = entry.codes.find((c) => c.system === 'http://loinc.org' && c.code)?.code;
  return loinc ? { loinc } : {};
}

function isLabResult(entry: TimelineEntry): boolean {
  if (entry.kind !== 'observation' || (!entry.lab && !entry.value)) return false;
  // Vital signs go to the flowsheet, also when an HL7 v2 sender filed them under a lab order.
  if (isVitalSignEntry(entry)) return false;
  const category = (entry.resource as { category?: { coding?: { code?: unknown }[] }[] }).category;
  if (!Array.isArray(category)) return true;
  return !category.some((c) => (c.coding ?? []).some((code) => typeof code.code === 'string' && NOT_LAB.has(code.code)));
}

function panelLoincs(entry: TimelineEntry, reports: ReadonlyMap<string, TimelineEntry>): string[] {
  const report = entry.panelId ? reports.get(entry.panelId) : undefined;
  return report ? report.codes.flatMap((c) => (c.code && (!c.system || c.system === 'http://loinc.org') ? [c.code] : [])) : [];
}

interface Draft {
  key: string;
  items: { entry: TimelineEntry; time: ClinicalTime; column: string }[];
}

/**
 * The cumulative results table: one row per analyte (canonical LOINC) and unit, grouped by
 * report section; one column per specimen time, newest first. Every result keeps its entry,
 * so its sources and conflicts stay one click away.
 */
export function buildLabTable(entries: readonly TimelineEntry[], num: NumberFormat, wordValue?: WordValue): LabTable {
  const reports = new Map<string, TimelineEntry>();
  for (const e of entries) if (e.kind === 'report') reports.set(e.id, e);

  const columns = new Map<string, LabColumn>();
  const drafts = new Map<string, Draft>();
  for (const entry of entries) {
    if (!isLabResult(entry)) continue;
    const time = parseClinicalTime(entry.clinicalTime);
    // A result without a time cannot be placed in a dated column; it stays on the timeline.
    if (!time) continue;
    const column = String(Math.floor(time.ms / 60_000));
    if (!columns.has(column)) columns.set(column, { key: column, time });
    const lab = labOf(entry);
    const key = `${lab.analyte ?? lab.loinc ?? entry.title}|${lab.unit ?? ''}`;
    let draft = drafts.get(key);
    if (!draft) drafts.set(key, (draft = { key, items: [] }));
    draft.items.push({ entry, time, column });
  }

  const rows: LabRow[] = [];
  for (const draft of drafts.values()) {
    draft.items.sort((a, b) => a.time.ms - b.time.ms || (a.entry.id < b.entry.id ? -1 : 1));
    const cells = new Map<string, LabCell[]>();
    const points: LabPoint[] = [];
    let latest: LabCell | undefined;
    for (const { entry, time, column } of draft.items) {
      const lab = labOf(entry);
      const text = labValueText(num, lab);
      const cell: LabCell = {
        entry,
        value: lab.value,
        text: text?.value ?? (entry.value && wordValue ? wordValue(entry.value) : (entry.summary ?? '')),
        flag: abnormalFlag(entry),
        original: text?.original,
        conflict: (entry.conflicts ?? []).length > 0,
      };
      const list = cells.get(column);
      if (list) list.push(cell);
      else cells.set(column, [cell]);
      if (lab.value !== undefined) points.push({ ms: time.ms, value: lab.value, flag: cell.flag });
      latest = cell;
    }
    const last = latest!.entry;
    const lab = labOf(last);
    rows.push({
      key: draft.key,
      label: last.title,
      analyte: lab.analyte,
      loinc: lab.loinc,
      unit: unitText(lab.unit),
      range: rangeText(num, lab, undefined, false),
      rangeWithUnit: rangeText(num, lab),
      low: lab.low,
      high: lab.high,
      group: labGroupOf(lab.analyte, lab.loinc, panelLoincs(last, reports)),
      cells,
      points,
      latest: latest!,
    });
  }

  rows.sort((a, b) => analyteOrder(a.analyte) - analyteOrder(b.analyte) || a.label.localeCompare(b.label, 'zh-CN'));
  const groups = LAB_GROUPS.map((key) => ({ key, rows: rows.filter((r) => r.group === key) })).filter((g) => g.rows.length > 0);
  return {
    columns: [...columns.values()].sort((a, b) => b.time.ms - a.time.ms),
    groups,
    rowCount: rows.length,
  };
}
