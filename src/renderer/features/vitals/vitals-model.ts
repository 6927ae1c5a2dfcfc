/**
 * The vitals flowsheet (体温单) as data: every vital-sign reading of the record, in display
 * units, merged across systems, placed in days (columns) and the ward's six four-hour time
 * slots (2, 6, 10, 14, 18, 22 h), with the hospital day (住院第 N 天) of each date. Pure: the
 * chart and table only draw what this returns.
 */
import type { ObservationValue } from '../../../shared/domain/observation-value.ts';
import type { Provenance } from '../../../shared/domain/provenance.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { parseClinicalTime } from '../../lib/clinical-time.ts';
import { abnormalFlag } from '../timeline/entry-flags.ts';
import { BP_PANEL_LOINC, normaliseVital, VITAL_BY_LOINC, type DisplayUnit, type VitalKind } from './vital-units.ts';

const LOINC = 'http://loinc.org';
const DAY_MS = 86_400_000;

/** The hour each slot is charted at; a reading belongs to the slot whose four hours hold it. */
export const SLOT_HOURS = [2, 6, 10, 14, 18, 22] as const;
export const SLOTS_PER_DAY = SLOT_HOURS.length;

export type VitalFlag = 'H' | 'L' | 'A';

export interface VitalReading {
  kind: VitalKind;
  /** Clinical time, ms. */
  ms: number;
  value: number;
  unit: DisplayUnit;
  /** As sent, when the unit was converted (98.6 [degF]). */
  original?: { value: number; unit: string };
  flag?: VitalFlag;
  /** Every system that reported it (one reading may come from the CDR, the EMR and the LIS). */
  provenance: readonly Provenance[];
  /** The timeline entries it was read from, for a link back. */
  entryIds: readonly string[];
  /** Systems that reported a different value for the same time: each shown, none dropped. */
  conflicts?: readonly { sourceName: string; value: string }[];
}

export type SlotReadings = Partial<Record<VitalKind, VitalReading>>;

/** A blood pressure as charted: systolic and diastolic of the same measurement. */
export interface BloodPressure {
  systolic?: VitalReading;
  diastolic?: VitalReading;
}

export interface FlowsheetDay {
  /** Local date, YYYY-MM-DD. */
  key: string;
  /** Local midnight. */
  date: Date;
  /** 住院第 N 天 when the date falls in an inpatient stay (admission day = 1). */
  hospitalDay?: number;
  /** Six slots; in each, the latest reading of each vital. */
  slots: readonly SlotReadings[];
  /** Morning (slots 2–10 h) and afternoon (14–22 h) blood pressure, as 体温单 rows have it. */
  bloodPressure: readonly [BloodPressure | undefined, BloodPressure | undefined];
  /** The day's latest weight. */
  weight?: VitalReading;
}

/** One row of the table: every vital measured at one time. */
export interface FlowsheetRow {
  ms: number;
  dayKey: string;
  hospitalDay?: number;
  readings: SlotReadings;
}

export interface VitalsFlowsheet {
  /** Oldest first; days without readings inside one stay are kept (the chart is continuous). */
  days: readonly FlowsheetDay[];
  /** Oldest first. */
  rows: readonly FlowsheetRow[];
  latestHeight?: VitalReading;
  latestWeight?: VitalReading;
  /** Vital-sign results that could not be placed: no time of day, or a unit not of that vital. */
  unplaced: number;
}

/**
 * Conventional adult limits, used only where the source sent no interpretation of its own: a
 * ward marks a fever on the 体温单 whether or not the system flagged it.
 */
const USUAL_LIMITS: Partial<Record<VitalKind, { low: number; high: number }>> = {
  temperature: { low: 36, high: 37.3 },
  pulse: { low: 60, high: 100 },
  respiration: { low: 12, high: 20 },
  systolic: { low: 90, high: 139 },
  diastolic: { low: 60, high: 89 },
  spo2: { low: 95, high: 100 },
};

function usualFlag(kind: VitalKind, value: number): VitalFlag | undefined {
  const limits = USUAL_LIMITS[kind];
  if (!limits) return undefined;
  return value > limits.high ? 'H' : value < limits.low ? 'L' : undefined;
}

function loincCodes(entry: TimelineEntry): string[] {
  const codes = entry.codes.filter((c) => (c.system === LOINC || c.system === undefined) && c.code).map((c) => c.code!);
  if (entry.lab?.loinc) codes.push(entry.lab.loinc);
  return codes;
}

function sentInterpretation(entry: TimelineEntry): boolean {
  const interpretation = (entry.resource as { interpretation?: unknown }).interpretation;
  return Array.isArray(interpretation) && interpretation.length > 0;
}

interface RawReading {
  kind: VitalKind;
  value: number;
  unit: string | undefined;
  /** What the source said about it: a flag, "abnormal" without direction, or nothing. */
  sourceFlag: VitalFlag | undefined;
  sourceJudged: boolean;
}

/** A quantity out of an Observation value as data (valueQuantity without components travels as `lab`). */
function quantityOf(value: ObservationValue | undefined): { value: number; unit?: string } | undefined {
  if (value?.type === 'quantity' && value.quantity.value !== undefined)
    return { value: value.quantity.value, ...(value.quantity.unit ? { unit: value.quantity.unit } : {}) };
  if (value?.type === 'integer') return { value: value.value };
  return undefined;
}

/** The vital readings one timeline entry holds: one for a plain vital, two for a BP panel. */
export function readingsOfEntry(entry: TimelineEntry): RawReading[] {
  if (entry.kind !== 'observation') return [];
  const codes = loincCodes(entry);
  const out: RawReading[] = [];
  if (
    entry.value?.type === 'components' &&
    (codes.includes(BP_PANEL_LOINC) || entry.value.components.some((c) => c.loinc && VITAL_BY_LOINC[c.loinc]))
  ) {
    for (const c of entry.value.components) {
      const kind = c.loinc ? VITAL_BY_LOINC[c.loinc] : undefined;
      const q = quantityOf(c.value);
      if (!kind || !q) continue;
      out.push({
        kind,
        value: q.value,
        unit: q.unit,
        sourceFlag: c.abnormal ? 'A' : undefined,
        sourceJudged: c.abnormal !== undefined || sentInterpretation(entry),
      });
    }
    return out;
  }
  const kind = codes.map((c) => VITAL_BY_LOINC[c]).find((k) => k !== undefined);
  if (!kind) return [];
  const q = entry.lab?.value !== undefined ? { value: entry.lab.value, unit: entry.lab.unit } : quantityOf(entry.value);
  if (!q) return [];
  const flag = abnormalFlag(entry);
  return [{ kind, value: q.value, unit: q.unit, sourceFlag: flag, sourceJudged: flag !== undefined || sentInterpretation(entry) }];
}

function flagOf(raw: RawReading, value: number): VitalFlag | undefined {
  if (raw.sourceFlag === 'H' || raw.sourceFlag === 'L') return raw.sourceFlag;
  // "Abnormal" without a direction: the usual limits give it one, else it stays "A".
  if (raw.sourceFlag === 'A') return usualFlag(raw.kind, value) ?? 'A';
  return raw.sourceJudged ? undefined : usualFlag(raw.kind, value);
}

function sameProvenance(a: Provenance, b: Provenance): boolean {
  return a.sourceId === b.sourceId && a.nativeId === b.nativeId;
}

function valueText(r: { value: number }): string {
  return String(r.value);
}

/**
 * Adds a reading to those already at its minute: the same vital at the same minute from
 * another system (a BP panel here, separate systolic/diastolic there; 8331-1 beside 8310-5) is
 * one reading with both provenances; a different value is a conflict, both kept.
 */
function mergeInto(
  byKey: Map<string, VitalReading>,
  reading: VitalReading,
  entryConflicts: readonly { sourceName: string; value: string }[] | undefined,
): void {
  const key = `${reading.kind}|${Math.floor(reading.ms / 60_000)}`;
  const existing = byKey.get(key);
  if (!existing) {
    byKey.set(key, entryConflicts && entryConflicts.length > 0 ? { ...reading, conflicts: entryConflicts } : reading);
    return;
  }
  const provenance = [...existing.provenance, ...reading.provenance.filter((p) => !existing.provenance.some((q) => sameProvenance(p, q)))];
  let conflicts = existing.conflicts ?? [];
  if (entryConflicts) conflicts = [...conflicts, ...entryConflicts];
  if (reading.value !== existing.value) {
    const mine = existing.provenance.map((p) => ({ sourceName: p.sourceName, value: valueText(existing) }));
    const theirs = reading.provenance.map((p) => ({ sourceName: p.sourceName, value: valueText(reading) }));
    conflicts = [...conflicts, ...(conflicts.length === 0 ? mine : []), ...theirs];
  }
  byKey.set(key, {
    ...existing,
    provenance,
    entryIds: [...existing.entryIds, ...reading.entryIds],
    flag: existing.flag ?? reading.flag,
    ...(conflicts.length > 0 ? { conflicts } : {}),
  });
}

const pad = (n: number) => String(n).padStart(2, '0');

function localDayKey(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function localMidnight(ms: number): Date {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

/** Whole local days from a to b (both local midnights); DST-proof by rounding. */
function daysBetween(a: Date, b: Date): number {
  return Math.round((b.getTime() - a.getTime()) / DAY_MS);
}

interface Stay {
  start: Date;
  /** Local midnight of the discharge day; open while the patient is in hospital. */
  end?: Date;
}

const INPATIENT_CLASSES = new Set(['IMP', 'ACUTE', 'NONAC', 'inpatient']);

/** Inpatient stays of the record, from its encounters (class IMP and its kin). */
export function inpatientStays(entries: readonly TimelineEntry[]): Stay[] {
  const stays: Stay[] = [];
  for (const e of entries) {
    if (e.kind !== 'encounter') continue;
    const r = e.resource as { class?: { code?: unknown }; period?: { start?: unknown; end?: unknown } };
    if (typeof r.class?.code !== 'string' || !INPATIENT_CLASSES.has(r.class.code)) continue;
    const start = parseClinicalTime(typeof r.period?.start === 'string' ? r.period.start : undefined);
    if (!start) continue;
    const end = parseClinicalTime(typeof r.period?.end === 'string' ? r.period.end : undefined);
    stays.push({ start: localMidnight(start.ms), ...(end ? { end: localMidnight(end.ms) } : {}) });
  }
  return stays;
}

function stayOf(day: Date, stays: readonly Stay[]): Stay | undefined {
  return stays.find((s) => day >= s.start && (!s.end || day <= s.end));
}

function latest(a: VitalReading | undefined, b: VitalReading): VitalReading {
  return a && a.ms > b.ms ? a : b;
}

/** The blood pressure of half a day: the latest systolic and the diastolic taken with it. */
function halfDayPressure(slots: readonly SlotReadings[]): BloodPressure | undefined {
  let systolic: VitalReading | undefined;
  let diastolic: VitalReading | undefined;
  for (const s of slots) {
    if (s.systolic) systolic = latest(systolic, s.systolic);
    if (s.diastolic) diastolic = latest(diastolic, s.diastolic);
  }
  if (!systolic && !diastolic) return undefined;
  return { ...(systolic ? { systolic } : {}), ...(diastolic ? { diastolic } : {}) };
}

function emptyDay(date: Date, stays: readonly Stay[]): { key: string; date: Date; hospitalDay?: number; slots: SlotReadings[] } {
  const stay = stayOf(date, stays);
  return {
    key: localDayKey(date),
    date,
    ...(stay ? { hospitalDay: daysBetween(stay.start, date) + 1 } : {}),
    slots: Array.from({ length: SLOTS_PER_DAY }, () => ({})),
  };
}

export function buildVitalsFlowsheet(entries: readonly TimelineEntry[]): VitalsFlowsheet {
  const byKey = new Map<string, VitalReading>();
  let unplaced = 0;
  for (const entry of entries) {
    const raws = readingsOfEntry(entry);
    if (raws.length === 0) continue;
    const time = parseClinicalTime(entry.clinicalTime);
    for (const raw of raws) {
      const normal = normaliseVital(raw.kind, raw.value, raw.unit);
      // A day-only time cannot go in a slot; a unit not of this vital cannot go on its scale.
      if (!time || time.precision !== 'time' || !normal) {
        unplaced += 1;
        continue;
      }
      const flag = flagOf(raw, normal.value);
      const reading: VitalReading = {
        kind: raw.kind,
        ms: time.ms,
        value: normal.value,
        unit: normal.unit,
        ...(normal.original ? { original: normal.original } : {}),
        ...(flag ? { flag } : {}),
        provenance: entry.provenance,
        entryIds: [entry.id],
      };
      const entryConflicts = entry.conflicts
        ?.find((c) => c.field === 'value')
        ?.values.map((v) => ({ sourceName: v.sourceName, value: v.value }));
      mergeInto(byKey, reading, entryConflicts);
    }
  }

  const readings = [...byKey.values()].sort((a, b) => a.ms - b.ms);
  const stays = inpatientStays(entries);
  const days = new Map<string, ReturnType<typeof emptyDay>>();
  const rows = new Map<number, FlowsheetRow>();
  let latestHeight: VitalReading | undefined;
  let latestWeight: VitalReading | undefined;
  for (const r of readings) {
    const midnight = localMidnight(r.ms);
    const key = localDayKey(midnight);
    let day = days.get(key);
    if (!day) days.set(key, (day = emptyDay(midnight, stays)));
    const slot = day.slots[Math.min(SLOTS_PER_DAY - 1, Math.floor(new Date(r.ms).getHours() / 4))]!;
    // Readings come oldest first, so the last one written is the slot's latest.
    slot[r.kind] = r;
    const minute = Math.floor(r.ms / 60_000);
    let row = rows.get(minute);
    if (!row)
      rows.set(
        minute,
        (row = { ms: r.ms, dayKey: key, ...(day.hospitalDay !== undefined ? { hospitalDay: day.hospitalDay } : {}), readings: {} }),
      );
    row.readings[r.kind] = r;
    if (r.kind === 'height') latestHeight = r;
    if (r.kind === 'weight') latestWeight = r;
  }

  const ordered = [...days.values()].sort((a, b) => a.date.getTime() - b.date.getTime());
  // A stay's days without readings stay on the chart: the 体温单 is one column per day.
  const filled: ReturnType<typeof emptyDay>[] = [];
  for (const day of ordered) {
    const prev = filled.at(-1);
    const stay = stayOf(day.date, stays);
    if (prev && stay && stayOf(prev.date, stays) === stay) {
      for (let gap = daysBetween(prev.date, day.date) - 1, i = 1; i <= gap; i++) {
        filled.push(emptyDay(new Date(prev.date.getFullYear(), prev.date.getMonth(), prev.date.getDate() + i), stays));
      }
    }
    filled.push(day);
  }

  return {
    days: filled.map((d) => {
      let weight: VitalReading | undefined;
      for (const s of d.slots) if (s.weight) weight = latest(weight, s.weight);
      return {
        ...d,
        bloodPressure: [halfDayPressure(d.slots.slice(0, 3)), halfDayPressure(d.slots.slice(3))] as const,
        ...(weight ? { weight } : {}),
      };
    }),
    rows: [...rows.values()].sort((a, b) => a.ms - b.ms),
    ...(latestHeight ? { latestHeight } : {}),
    ...(latestWeight ? { latestWeight } : {}),
    unplaced,
  };
}

/** True for an entry the flowsheet charts (by its LOINC, whatever category the sender gave it). */
export function isVitalSignEntry(entry: TimelineEntry): boolean {
  return readingsOfEntry(entry).length > 0;
}

/** True when the record holds any vital sign the flowsheet can read: the tab shows only then. */
export function hasVitalSigns(entries: readonly TimelineEntry[]): boolean {
  return entries.some(isVitalSignEntry);
}
