import type { Observation, Resource } from '@medplum/fhirtypes';
import { VALUE_SENT_AS_TEXT_EXTENSION, type QualityFinding } from '../../../shared/domain/quality.ts';
import type { Conflict, TimelineEntry, TimelineKind } from '../../../shared/domain/timeline.ts';
import { ucumCodeFor } from '../../../adapters/units/index.ts';
import { analyteByLoinc, labCodeEntry } from '../timeline/index.ts';
import { isStandardCoding } from './code-systems.ts';
import { brokenSide, plausibleRangeFor, type PlausibleRange } from './plausibility.ts';
import type { FindingInterner } from './finding-interner.ts';
import { PLAIN } from './shared-findings.ts';

/** Kinds whose code names what was found or done: a local code there needs a mapping. */
const CODED_KINDS: ReadonlySet<TimelineKind> = new Set(['observation', 'condition', 'procedure', 'report']);

/** Resource types about the patient, and the element naming them: without it a record belongs to no one. */
export const SUBJECT_FIELD: ReadonlyMap<string, string> = new Map([
  ...[
    'Observation',
    'Condition',
    'DiagnosticReport',
    'Procedure',
    'Encounter',
    'MedicationRequest',
    'MedicationStatement',
    'MedicationAdministration',
    'ImagingStudy',
    'DocumentReference',
  ].map((t) => [t, 'subject'] as const),
  ['AllergyIntolerance', 'patient'],
  ['Immunization', 'patient'],
]);

/** A number, possibly with a comparator, written as text ("5.6", "< 0.01"). */
const NUMBER_AS_TEXT = /^\s*[<>≤≥]?=?\s*[-+]?\d+(?:\.\d+)?\s*$/;

/** Clocks differ between systems and time zones are often dropped: a day's grace before "future". */
const FUTURE_GRACE_MS = 24 * 60 * 60 * 1000;

/** What a (LOINC, unit) pair of a normalised result is held to: the same for every result of that pair. */
interface LabVerdict {
  /** The analyte's canonical unit when the result's unit does not convert to it, else undefined. */
  notConvertibleTo: string | undefined;
  /** The plausible range for the result's value (only when its unit converts). */
  range: PlausibleRange | undefined;
}

export interface EntryCheckContext {
  /** ISO instant past which a clinical time is in the future (ISO strings compare as times). */
  futureAfter: string;
  findings: FindingInterner;
  /**
   * Per build, so a unit table changed between builds is seen: a source sends a few units and
   * analytes result after result, and each is looked up once (LOINC → unit → verdict).
   */
  ucumSpelling: Map<string, boolean>;
  labVerdicts: Map<string, Map<string, LabVerdict>>;
}

export function entryCheckContext(now: Date, findings: FindingInterner): EntryCheckContext {
  return {
    futureAfter: new Date(now.getTime() + FUTURE_GRACE_MS).toISOString(),
    findings,
    ucumSpelling: new Map(),
    labVerdicts: new Map(),
  };
}

/** What one entry's checks found: parameterless kinds as bits, the others as findings. */
export interface EntryCheck {
  mask: number;
  /** Findings with parameters: the first `count` are this entry's (a buffer reused entry after entry, so none is allocated). */
  detailed: QualityFinding[];
  count: number;
  /** The hospital's mapping a report's local code was found in: it counts every use, so a remembered answer counts again. */
  mapped: { uses: number } | undefined;
}

function addDetailed(check: EntryCheck, finding: QualityFinding): void {
  check.detailed[check.count++] = finding;
}

/**
 * Adds the finding named by (source, kind, k2, k3, k4); `make` runs the first time only. Callers
 * pass a function defined per kind, not per result, so a repeated finding allocates nothing.
 */
function detail<A>(
  context: EntryCheckContext,
  check: EntryCheck,
  sourceId: string,
  code: QualityFinding['code'],
  k2: string,
  k3: string,
  k4: string,
  make: (sourceId: string, arg: A) => QualityFinding,
  arg: A,
): void {
  addDetailed(check, context.findings.find(sourceId, code, k2, k3, k4) ?? context.findings.file(make(sourceId, arg)));
}

const unmapped = (sourceId: string, a: { type: string; system: string; code: string }): QualityFinding => ({
  code: 'unmapped-code',
  severity: 'warning',
  sourceId,
  resourceType: a.type,
  field: `${a.type}.code.coding`,
  params: { system: a.system, code: a.code },
});
const notUcum = (sourceId: string, unit: string): QualityFinding => ({
  code: 'unit-not-ucum',
  severity: 'warning',
  sourceId,
  resourceType: 'Observation',
  field: 'Observation.valueQuantity.unit',
  params: { unit },
});
const notConvertible = (sourceId: string, a: { unit: string; analyte: string; expected: string }): QualityFinding => ({
  code: 'unit-not-convertible',
  severity: 'warning',
  sourceId,
  resourceType: 'Observation',
  field: 'Observation.valueQuantity.unit',
  params: a,
});
const implausible = (
  sourceId: string,
  a: { analyte: string; loinc: string; side: 'low' | 'high'; range: PlausibleRange },
): QualityFinding => ({
  code: 'implausible-value',
  severity: 'error',
  sourceId,
  resourceType: 'Observation',
  field: 'Observation.valueQuantity.value',
  params: {
    analyte: a.analyte,
    loinc: a.loinc,
    side: a.side,
    bound: String(a.side === 'low' ? a.range.low : a.range.high),
    unit: a.range.unit,
  },
});
const conflicting = (sourceId: string, a: { type: string; conflict: Conflict }): QualityFinding => ({
  code: 'value-conflict',
  severity: 'warning',
  sourceId,
  resourceType: a.type,
  field: `${a.type}.${a.conflict.field}`,
  params: { field: a.conflict.field, sources: a.conflict.values.map((x) => x.sourceId).join(',') },
});

function checkCodes(context: EntryCheckContext, entry: TimelineEntry, resource: Resource, check: EntryCheck): void {
  if (!CODED_KINDS.has(entry.kind)) return;
  if (entry.codes.length === 0) {
    check.mask |= PLAIN.missingCode;
    return;
  }
  // A local code the timeline mapped to an analyte is mapped; so is any standard coding.
  if (entry.lab?.loinc !== undefined) return;
  for (const c of entry.codes) if (isStandardCoding(c.system, c.code)) return;
  const local = entry.codes.find((c) => c.code !== undefined) ?? entry.codes[0]!;
  const system = local.system ?? '';
  const code = local.code ?? '';
  // A report's or panel's local code the hospital mapped (results map as the timeline normalises them).
  if (resource.resourceType !== 'Observation' && code !== '') {
    const mapped = labCodeEntry(code);
    if (mapped !== undefined) {
      mapped.uses++;
      check.mapped = mapped;
      return;
    }
  }
  const found = context.findings.find(entry.provenance[0]!.sourceId, 'unmapped-code', resource.resourceType, system, code);
  addDetailed(
    check,
    found ?? context.findings.file(unmapped(entry.provenance[0]!.sourceId, { type: resource.resourceType, system, code })),
  );
}

function isUcumSpelling(context: EntryCheckContext, unit: string): boolean {
  let known = context.ucumSpelling.get(unit);
  if (known === undefined) {
    known = unit.trim() === '' || ucumCodeFor(unit) !== undefined;
    context.ucumSpelling.set(unit, known);
  }
  return known;
}

function labVerdict(context: EntryCheckContext, loinc: string, unit: string): LabVerdict {
  let byUnit = context.labVerdicts.get(loinc);
  if (byUnit === undefined) context.labVerdicts.set(loinc, (byUnit = new Map()));
  let verdict = byUnit.get(unit);
  if (verdict === undefined) {
    const analyte = analyteByLoinc(loinc);
    if (analyte === undefined) verdict = { notConvertibleTo: undefined, range: plausibleRangeFor(loinc, unit) };
    else if (unit !== analyte.canonicalUnit && ucumCodeFor(unit) !== analyte.canonicalUnit)
      verdict = { notConvertibleTo: analyte.canonicalUnit, range: undefined };
    else verdict = { notConvertibleTo: undefined, range: plausibleRangeFor(loinc, unit) };
    byUnit.set(unit, verdict);
  }
  return verdict;
}

/** The implausible-value finding of a result of this analyte whose value breaks `side` of `range`. */
export function implausibleFinding(
  context: EntryCheckContext,
  sourceId: string,
  lab: { analyte: string; loinc: string },
  side: 'low' | 'high',
  range: PlausibleRange,
): QualityFinding {
  const found = context.findings.find(sourceId, 'implausible-value', lab.loinc, side, '');
  return found ?? context.findings.file(implausible(sourceId, { analyte: lab.analyte, loinc: lab.loinc, side, range }));
}

/**
 * The findings of an entry's codes and units into `check`: the same for every entry of one
 * source, type, coding and unit. Returns the range its value is held to, if any.
 */
export function checkFixed(entry: TimelineEntry, context: EntryCheckContext, check: EntryCheck): PlausibleRange | undefined {
  const resource = entry.resource;
  checkCodes(context, entry, resource, check);
  if (resource.resourceType !== 'Observation') return undefined;
  const q = (resource as Observation).valueQuantity;
  const unit = q?.code ?? q?.unit;
  if (q?.value !== undefined && unit !== undefined && !isUcumSpelling(context, unit)) {
    detail(context, check, entry.provenance[0]!.sourceId, 'unit-not-ucum', unit, '', '', notUcum, unit);
  }
  const lab = entry.lab;
  if (lab?.analyte === undefined || lab.loinc === undefined || lab.value === undefined || lab.unit === undefined) return undefined;
  const verdict = labVerdict(context, lab.loinc, lab.unit);
  if (verdict.notConvertibleTo === undefined) return verdict.range;
  const sourceId = entry.provenance[0]!.sourceId;
  const found = context.findings.find(sourceId, 'unit-not-convertible', lab.unit, lab.analyte, '');
  addDetailed(
    check,
    found ?? context.findings.file(notConvertible(sourceId, { unit: lab.unit, analyte: lab.analyte, expected: verdict.notConvertibleTo })),
  );
  return undefined;
}

/** The parameterless findings of an entry's own values (PLAIN's bits): its text value, its times, its subject. */
export function varyingMask(entry: TimelineEntry, context: EntryCheckContext, subjectField: string | undefined): number {
  const resource = entry.resource;
  let mask = 0;
  if (resource.resourceType === 'Observation') {
    const observation = resource as Observation;
    const q = observation.valueQuantity;
    if (observation.valueString !== undefined && NUMBER_AS_TEXT.test(observation.valueString)) mask |= PLAIN.numericAsText;
    else if (q?.extension !== undefined && q.extension.some((x) => x.url === VALUE_SENT_AS_TEXT_EXTENSION)) mask |= PLAIN.numericSentAsText;
  }
  if (entry.clinicalTime === undefined)
    mask |= entry.kind === 'document' || entry.kind === 'other' ? PLAIN.missingTimeInfo : PLAIN.missingTime;
  else if (entry.clinicalTime > context.futureAfter) mask |= PLAIN.futureDate;
  if (subjectField !== undefined && (resource as unknown as Record<string, unknown>)[subjectField] === undefined)
    mask |= PLAIN.missingSubject;
  return mask;
}

/** Checks one entry's own resource into `check` (reset by the caller); conflicts come with merges. */
export function checkEntry(entry: TimelineEntry, context: EntryCheckContext, check: EntryCheck): void {
  const range = checkFixed(entry, context, check);
  const lab = entry.lab;
  if (range !== undefined && lab !== undefined) {
    const side = brokenSide(range, lab.value!);
    if (side !== undefined)
      addDetailed(
        check,
        implausibleFinding(context, entry.provenance[0]!.sourceId, lab as { analyte: string; loinc: string }, side, range),
      );
  }
  check.mask |= varyingMask(entry, context, SUBJECT_FIELD.get(entry.resource.resourceType));
}

/** The value-conflict findings of a merged entry, into `check`. */
export function checkConflicts(context: EntryCheckContext, entry: TimelineEntry, check: EntryCheck): void {
  const resource = entry.resource;
  const sourceId = entry.provenance[0]!.sourceId;
  for (const conflict of entry.conflicts ?? []) {
    const v = conflict.values;
    // Two sources is the usual disagreement: keyed by both; more are keyed by the list.
    const others =
      v.length === 2
        ? v[1]!.sourceId
        : v
            .slice(1)
            .map((x) => x.sourceId)
            .join(',');
    // The first value is usually the entry's own source's: then no key string is built per merge.
    const key = v[0]!.sourceId === sourceId ? others : `${v[0]!.sourceId}\u0000${others}`;
    const found = context.findings.find(sourceId, 'value-conflict', resource.resourceType, conflict.field, key);
    addDetailed(check, found ?? context.findings.file(conflicting(sourceId, { type: resource.resourceType, conflict })));
  }
}
