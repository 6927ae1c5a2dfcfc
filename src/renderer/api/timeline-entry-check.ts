import { ObservationValueSchema } from '../../shared/domain/observation-value.ts';
import { QualityCodeSchema, QualitySeveritySchema } from '../../shared/domain/quality.ts';
import { SourceKindSchema } from '../../shared/domain/source.ts';
import { TimelineKindSchema, type TimelineEntry } from '../../shared/domain/timeline.ts';

/**
 * TimelineEntrySchema's rules as straight-line checks. A 20,000-entry snapshot goes through
 * zod's interpreter (jitless under our CSP) in 0.4–2.5 s on a busy 2-core machine, once per
 * `timeline.updated` event and again for the openPatient reply; these checks take a few ms.
 * The renderer still trusts nothing unchecked: test/unit/renderer/api/timeline-entry-check.test.ts
 * holds them to the zod schema, good and bad entry for entry.
 */

export type EntriesCheck = { ok: true; entries: TimelineEntry[] } | { ok: false; path: string; message: string };

class EntryRejected extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

type Obj = Record<string, unknown>;

const TIMELINE_KINDS: ReadonlySet<string> = new Set(TimelineKindSchema.options);
const SOURCE_KINDS: ReadonlySet<string> = new Set(SourceKindSchema.options);
const QUALITY_CODES: ReadonlySet<string> = new Set(QualityCodeSchema.options);
const QUALITY_SEVERITIES: ReadonlySet<string> = new Set(QualitySeveritySchema.options);

function object(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EntryRejected(path, 'expected an object');
  return value as Obj;
}

function array(value: unknown, path: string, min = 0): unknown[] {
  if (!Array.isArray(value)) throw new EntryRejected(path, 'expected an array');
  if (value.length < min) throw new EntryRejected(path, `expected at least ${min} item${min === 1 ? '' : 's'}`);
  return value;
}

function string(o: Obj, key: string, path: string): void {
  if (typeof o[key] !== 'string') throw new EntryRejected(`${path}.${key}`, 'expected a string');
}

function optional(o: Obj, key: string, type: 'string' | 'number' | 'boolean', path: string): void {
  const v = o[key];
  if (v === undefined) return;
  // zod's z.number() refuses NaN and ±Infinity (JSON cannot carry them, but a preload could).
  if (typeof v !== type || (type === 'number' && !Number.isFinite(v))) throw new EntryRejected(`${path}.${key}`, `expected a ${type}`);
}

function oneOf(o: Obj, key: string, allowed: ReadonlySet<string>, path: string): void {
  const v = o[key];
  if (typeof v !== 'string' || !allowed.has(v)) throw new EntryRejected(`${path}.${key}`, `expected one of ${[...allowed].join(', ')}`);
}

function coding(value: unknown, path: string): void {
  const c = object(value, path);
  for (const key of ['system', 'code', 'display']) optional(c, key, 'string', path);
}

function provenance(value: unknown, path: string): void {
  const p = object(value, path);
  for (const key of ['sourceId', 'sourceName', 'nativeId', 'fetchedAt']) string(p, key, path);
  oneOf(p, 'sourceKind', SOURCE_KINDS, path);
  optional(p, 'messageType', 'string', path);
}

function lab(value: unknown, path: string): void {
  const l = object(value, path);
  for (const key of ['analyte', 'loinc', 'unit']) optional(l, key, 'string', path);
  for (const key of ['value', 'low', 'high']) optional(l, key, 'number', path);
  if (l.original === undefined) return;
  const o = object(l.original, `${path}.original`);
  optional(o, 'code', 'string', `${path}.original`);
  optional(o, 'value', 'number', `${path}.original`);
  optional(o, 'unit', 'string', `${path}.original`);
}

function qualityFinding(value: unknown, path: string): void {
  const f = object(value, path);
  oneOf(f, 'code', QUALITY_CODES, path);
  oneOf(f, 'severity', QUALITY_SEVERITIES, path);
  for (const key of ['sourceId', 'resourceType', 'field']) string(f, key, path);
  if (f.params === undefined) return;
  const params = object(f.params, `${path}.params`);
  for (const key of Object.keys(params)) string(params, key, `${path}.params`);
}

function conflict(value: unknown, path: string): void {
  const c = object(value, path);
  string(c, 'field', path);
  array(c.values, `${path}.values`, 2).forEach((v, i) => {
    const at = `${path}.values.${i}`;
    const o = object(v, at);
    for (const key of ['sourceId', 'sourceName', 'value']) string(o, key, at);
  });
}

function statedBy(value: unknown, path: string): void {
  const o = object(value, path);
  for (const key of ['field', 'sourceId', 'sourceName']) string(o, key, path);
}

function entry(value: unknown, path: string): void {
  const e = object(value, path);
  string(e, 'id', path);
  oneOf(e, 'kind', TIMELINE_KINDS, path);
  string(e, 'title', path);
  for (const key of ['clinicalTime', 'recordedTime', 'summary', 'status', 'encounterId', 'panelId']) optional(e, key, 'string', path);
  optional(e, 'abnormal', 'boolean', path);
  array(e.codes, `${path}.codes`).forEach((c, i) => coding(c, `${path}.codes.${i}`));
  array(e.provenance, `${path}.provenance`, 1).forEach((p, i) => provenance(p, `${path}.provenance.${i}`));
  if (e.lab !== undefined) lab(e.lab, `${path}.lab`);
  // Only results that are not a plain quantity carry a value: few enough for zod itself.
  if (e.value !== undefined && !ObservationValueSchema.safeParse(e.value).success)
    throw new EntryRejected(`${path}.value`, 'expected an observation value');
  if (e.conflicts !== undefined) array(e.conflicts, `${path}.conflicts`).forEach((c, i) => conflict(c, `${path}.conflicts.${i}`));
  if (e.statedBy !== undefined) array(e.statedBy, `${path}.statedBy`).forEach((s, i) => statedBy(s, `${path}.statedBy.${i}`));
  if (e.quality !== undefined) array(e.quality, `${path}.quality`).forEach((q, i) => qualityFinding(q, `${path}.quality.${i}`));
  if (e.resourceSummary !== undefined && e.resourceSummary !== true) throw new EntryRejected(`${path}.resourceSummary`, 'expected true');
  // FhirResourceSchema checks only the envelope; so do we.
  const resource = object(e.resource, `${path}.resource`);
  if (typeof resource.resourceType !== 'string')
    throw new EntryRejected(`${path}.resource`, 'expected a FHIR resource with a resourceType');
}

/** Checks every entry; the first bad one rejects the lot, named by its path (e.g. "entries.41.provenance"). */
export function checkTimelineEntries(value: unknown, path = 'entries'): EntriesCheck {
  try {
    const items = array(value, path);
    for (let i = 0; i < items.length; i++) entry(items[i], `${path}.${i}`);
    return { ok: true, entries: items as TimelineEntry[] };
  } catch (error) {
    if (error instanceof EntryRejected) return { ok: false, path: error.path, message: error.message };
    throw error;
  }
}
