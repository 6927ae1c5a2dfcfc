import type { Provenance } from '../../../shared/domain/provenance.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { summarizeAllergies, type AllergySummary } from './allergy-summary.ts';
import type { Concept } from './concept-words.ts';
import { CLINICAL_STATUS_CLASS, MEDICATION_STATUS_CLASS } from '../../../shared/domain/status-class.ts';

/**
 * The ward doctor's first look, derived from the merged timeline (which has already made one
 * entry of each problem, allergy and drug several systems recorded): allergies, active
 * problems, current medications apart from past ones, latest weight and height.
 */
export interface ClinicalSummary {
  allergies: AllergySummary;
  problems: ProblemLine[];
  medications: { current: MedicationLine[]; past: MedicationLine[] };
  weight?: Measurement;
  height?: Measurement;
}

export interface ProblemLine {
  key: string;
  title: string;
  /** The entry to open (the one most systems recorded), then the others of the same problem. */
  entries: TimelineEntry[];
  /** One per system that recorded it. */
  provenance: Provenance[];
  /** Some system says it is over while another says it is active, or systems give different onsets. */
  conflict: boolean;
  /** The earliest onset any system gives. */
  since?: string;
  /** Each system's onset, when they differ (earliest first). */
  onsets?: { sourceName: string; value: string }[];
}

export interface MedicationLine {
  entry: TimelineEntry;
  title: string;
  dosage?: string;
  /** The entry's own status code (words are the renderer's: `status.*`). */
  status?: string;
  /** Systems disagree on its status or its dose. */
  conflict: boolean;
}

export interface Measurement {
  entry: TimelineEntry;
  value: number;
  unit: string;
  time?: string;
}

const NOT_TRUE = new Set(['refuted', 'entered-in-error']);
/** LOINC body weight (29463-7, 3141-9 measured) and body height (8302-2, 8306-3 lying). */
const WEIGHT = new Set(['29463-7', '3141-9']);
const HEIGHT = new Set(['8302-2', '8306-3']);

interface ConditionResource {
  clinicalStatus?: Concept;
  verificationStatus?: Concept;
}

/** Epoch ms of a clinical time (offsets differ between systems, so strings do not compare); -∞ when undated. */
const when = (t: string | undefined) => {
  const ms = t ? Date.parse(t) : Number.NaN;
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
};
const codeOf = (c: Concept | undefined) => c?.coding?.find((x) => x.code)?.code;
const hasStatusConflict = (e: TimelineEntry) => e.conflicts?.some((c) => c.field === 'status') ?? false;

interface OnsetResource {
  onsetDateTime?: string;
  onsetPeriod?: { start?: string };
}

/**
 * Each system's stated onset across the entries of one problem (the merge's onset conflict
 * holds every merged system's; an entry without one speaks for its own record), when they
 * differ at the precision both give; earliest first.
 */
function onsetsOf(group: readonly TimelineEntry[]): { sourceName: string; value: string }[] | undefined {
  const stated: { sourceName: string; value: string }[] = [];
  for (const e of group) {
    const conflict = e.conflicts?.find((c) => c.field === 'onset');
    if (conflict) {
      for (const v of conflict.values) if (v.value) stated.push({ sourceName: v.sourceName, value: v.value });
      continue;
    }
    const r = e.resource as OnsetResource;
    const value = r.onsetDateTime ?? r.onsetPeriod?.start;
    const sourceName = e.statedBy?.find((s) => s.field === 'onset')?.sourceName ?? e.provenance[0]!.sourceName;
    if (value) stated.push({ sourceName, value });
  }
  const sameDay = (a: string, b: string) => {
    const n = Math.min(a.length, b.length, 10);
    return a.slice(0, n) === b.slice(0, n);
  };
  const distinct = stated.filter((s, i) => !stated.slice(0, i).some((o) => o.sourceName === s.sourceName && sameDay(o.value, s.value)));
  const disagree = distinct.some((s) => !sameDay(s.value, distinct[0]!.value));
  return disagree ? distinct.sort((a, b) => when(a.value) - when(b.value)) : undefined;
}

/** One problem, whatever system and document recorded it: its first code, else its words. */
function problemKey(e: TimelineEntry): string {
  const c = e.codes.find((x) => x.code);
  return c ? `${c.system ?? ''}|${c.code}` : e.title.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

function summarizeProblems(entries: readonly TimelineEntry[]): ProblemLine[] {
  const groups = new Map<string, TimelineEntry[]>();
  for (const e of entries) {
    if (e.kind !== 'condition') continue;
    const verification = codeOf((e.resource as ConditionResource).verificationStatus);
    if (verification && NOT_TRUE.has(verification)) continue;
    const key = problemKey(e);
    const list = groups.get(key);
    if (list) list.push(e);
    else groups.set(key, [e]);
  }
  const lines: ProblemLine[] = [];
  for (const [key, group] of groups) {
    const classes = new Set(
      group.map((e) => CLINICAL_STATUS_CLASS[codeOf((e.resource as ConditionResource).clinicalStatus) ?? '']).filter(Boolean),
    );
    const onsets = onsetsOf(group);
    const conflict = group.some(hasStatusConflict) || classes.size > 1 || onsets !== undefined;
    // Listed when any system holds it active; "resolved" everywhere is history, not a problem now.
    if (!classes.has('active') && !conflict) continue;
    const ordered = [...group].sort((a, b) => b.provenance.length - a.provenance.length);
    // One chip per system: two documents of one EMR naming the problem are one source for the reader.
    const seen = new Set<string>();
    const provenance = group.flatMap((e) => e.provenance).filter((p) => !seen.has(p.sourceId) && seen.add(p.sourceId));
    const since = group
      .map((e) => e.clinicalTime)
      .filter((t): t is string => !!t)
      .sort((a, b) => when(a) - when(b))[0];
    lines.push({
      key,
      title: ordered[0]!.title,
      entries: ordered,
      provenance,
      conflict,
      ...(since ? { since } : {}),
      ...(onsets ? { onsets } : {}),
    });
  }
  // Disputed first (they need a look), then by name.
  return lines.sort((a, b) => Number(b.conflict) - Number(a.conflict) || a.title.localeCompare(b.title, 'zh-CN'));
}

function summarizeMedications(entries: readonly TimelineEntry[]): ClinicalSummary['medications'] {
  const current: MedicationLine[] = [];
  const past: MedicationLine[] = [];
  for (const e of entries) {
    if (e.kind !== 'medication' || (e.resource.resourceType !== 'MedicationRequest' && e.resource.resourceType !== 'MedicationStatement'))
      continue;
    if (e.status === 'entered-in-error') continue;
    const statusConflict = hasStatusConflict(e);
    const conflict = (e.conflicts?.length ?? 0) > 0;
    const line: MedicationLine = {
      entry: e,
      title: e.title,
      conflict,
      ...(e.summary ? { dosage: e.summary } : {}),
      ...(e.status ? { status: e.status } : {}),
    };
    // A drug one system says is taken and another says was stopped stays on the current list, marked.
    if (MEDICATION_STATUS_CLASS[e.status ?? ''] === 'active' || statusConflict) current.push(line);
    else past.push(line);
  }
  current.sort((a, b) => Number(b.conflict) - Number(a.conflict) || a.title.localeCompare(b.title, 'zh-CN'));
  past.sort((a, b) => when(b.entry.clinicalTime) - when(a.entry.clinicalTime));
  return { current, past };
}

interface QuantityResource {
  valueQuantity?: { value?: number; unit?: string; code?: string };
}

function latest(entries: readonly TimelineEntry[], codes: ReadonlySet<string>): Measurement | undefined {
  let best: Measurement | undefined;
  for (const e of entries) {
    if (e.kind !== 'observation') continue;
    if (!(e.lab?.loinc && codes.has(e.lab.loinc)) && !e.codes.some((c) => c.code !== undefined && codes.has(c.code))) continue;
    const q = (e.resource as QuantityResource).valueQuantity;
    const value = e.lab?.value ?? q?.value;
    const unit = e.lab?.unit ?? q?.unit ?? q?.code ?? '';
    if (value === undefined) continue;
    if (!best || when(e.clinicalTime) > when(best.time))
      best = { entry: e, value, unit, ...(e.clinicalTime ? { time: e.clinicalTime } : {}) };
  }
  return best;
}

export function summarizeRecord(entries: readonly TimelineEntry[]): ClinicalSummary {
  const weight = latest(entries, WEIGHT);
  const height = latest(entries, HEIGHT);
  return {
    allergies: summarizeAllergies(entries),
    problems: summarizeProblems(entries),
    medications: summarizeMedications(entries),
    ...(weight ? { weight } : {}),
    ...(height ? { height } : {}),
  };
}
