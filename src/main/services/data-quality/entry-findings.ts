import type { Observation, Resource } from '@medplum/fhirtypes';
import type { QualityFinding } from '../../../shared/domain/quality.ts';
import type { TimelineEntry, TimelineKind } from '../../../shared/domain/timeline.ts';
import { ucumCodeFor } from '../../../adapters/units/index.ts';
import { analyteByLoinc } from '../timeline/index.ts';
import { isStandardSystem } from './code-systems.ts';
import { implausibleSide } from './plausibility.ts';
import type { FindingInterner } from './finding-interner.ts';
import { PLAIN } from './shared-findings.ts';

/** Kinds whose code names what was found or done: a local code there needs a mapping. */
const CODED_KINDS: ReadonlySet<TimelineKind> = new Set(['observation', 'condition', 'procedure', 'report']);

/** Resource types about the patient, and the element naming them: without it a record belongs to no one. */
export const SUBJECT_FIELD: ReadonlyMap<string, string> = new Map([
  ...['Observation', 'Condition', 'DiagnosticReport', 'Procedure', 'Encounter', 'MedicationRequest', 'MedicationStatement', 'MedicationAdministration', 'ImagingStudy', 'DocumentReference'].map((t) => [t, 'subject'] as const),
  ['AllergyIntolerance', 'patient'],
  ['Immunization', 'patient'],
]);

/** A number, possibly with a comparator, written as text ("5.6", "< 0.01"). */
const NUMBER_AS_TEXT = /^\s*[<>≤≥]?=?\s*[-+]?\d+(?:\.\d+)?\s*$/;

/** Clocks differ between systems and time zones are often dropped: a day's grace before "future". */
const FUTURE_GRACE_MS = 24 * 60 * 60 * 1000;

export interface EntryCheckContext {
  /** ISO instant past which a clinical time is in the future (ISO strings compare as times). */
  futureAfter: string;
  findings: FindingInterner;
}

export function entryCheckContext(now: Date, findings: FindingInterner): EntryCheckContext {
  return { futureAfter: new Date(now.getTime() + FUTURE_GRACE_MS).toISOString(), findings };
}

/** Reused key tuple: filled per finding, never kept. */
const keys: [string, string, string, string, string] = ['', '', '', '', ''];

/** What one entry's checks found: parameterless kinds as bits, the others as findings (rare). */
export interface EntryCheck {
  mask: number;
  /** Findings with parameters; undefined while there are none. */
  detailed: QualityFinding[] | undefined;
}

/** Adds the finding named by (source, kind, k1, k2, k3); made by `params` the first time only. */
function detail(context: EntryCheckContext, check: EntryCheck, entry: TimelineEntry, resource: Resource, code: QualityFinding['code'], severity: QualityFinding['severity'], field: string, k: readonly [string, string, string], params: () => Record<string, string>): void {
  const sourceId = entry.provenance[0]!.sourceId;
  keys[0] = sourceId;
  keys[1] = `${code}`;
  keys[2] = k[0];
  keys[3] = k[1];
  keys[4] = k[2];
  (check.detailed ??= []).push(context.findings.get(keys, () => ({ code, severity, sourceId, resourceType: resource.resourceType, field, params: params() })));
}

function checkCodes(context: EntryCheckContext, entry: TimelineEntry, resource: Resource, check: EntryCheck): void {
  if (!CODED_KINDS.has(entry.kind)) return;
  if (entry.codes.length === 0) {
    check.mask |= PLAIN.missingCode;
    return;
  }
  // A local code the timeline mapped to an analyte is mapped; so is any standard coding.
  if (entry.lab?.loinc !== undefined) return;
  for (const c of entry.codes) if (isStandardSystem(c.system)) return;
  const local = entry.codes.find((c) => c.code !== undefined) ?? entry.codes[0]!;
  detail(context, check, entry, resource, 'unmapped-code', 'warning', `${resource.resourceType}.code.coding`, [resource.resourceType, local.system ?? '', local.code ?? ''], () => ({ system: local.system ?? '', code: local.code ?? '' }));
}

function checkObservation(context: EntryCheckContext, entry: TimelineEntry, observation: Observation, check: EntryCheck): void {
  const q = observation.valueQuantity;
  const unit = q?.code ?? q?.unit;
  if (q?.value !== undefined && unit !== undefined && unit.trim() !== '' && ucumCodeFor(unit) === undefined) {
    detail(context, check, entry, observation, 'unit-not-ucum', 'warning', 'Observation.valueQuantity.unit', [unit, '', ''], () => ({ unit }));
  }
  const lab = entry.lab;
  if (lab?.analyte !== undefined && lab.loinc !== undefined && lab.value !== undefined && lab.unit !== undefined) {
    const analyte = analyteByLoinc(lab.loinc);
    if (analyte && lab.unit !== analyte.canonicalUnit && ucumCodeFor(lab.unit) !== analyte.canonicalUnit) {
      const { unit: labUnit, analyte: key } = lab;
      detail(context, check, entry, observation, 'unit-not-convertible', 'warning', 'Observation.valueQuantity.unit', [labUnit, key, ''], () => ({ unit: labUnit, analyte: key, expected: analyte.canonicalUnit }));
    } else {
      const broken = implausibleSide(lab.loinc, lab.value, lab.unit);
      if (broken) {
        const bound = broken.side === 'low' ? broken.range.low : broken.range.high;
        const { analyte: key, loinc } = lab;
        detail(context, check, entry, observation, 'implausible-value', 'error', 'Observation.valueQuantity.value', [loinc, broken.side, ''], () => ({ analyte: key, loinc, side: broken.side, bound: String(bound), unit: broken.range.unit }));
      }
    }
  }
  if (observation.valueString !== undefined && NUMBER_AS_TEXT.test(observation.valueString)) check.mask |= PLAIN.numericAsText;
}

/** Checks one entry's own resource into `check` (reset by the caller); conflicts come with merges. */
export function checkEntry(entry: TimelineEntry, context: EntryCheckContext, check: EntryCheck): void {
  const resource = entry.resource;
  checkCodes(context, entry, resource, check);
  if (resource.resourceType === 'Observation') checkObservation(context, entry, resource as Observation, check);
  if (entry.clinicalTime === undefined) check.mask |= entry.kind === 'document' || entry.kind === 'other' ? PLAIN.missingTimeInfo : PLAIN.missingTime;
  else if (entry.clinicalTime > context.futureAfter) check.mask |= PLAIN.futureDate;
  const subjectField = SUBJECT_FIELD.get(resource.resourceType);
  if (subjectField !== undefined && (resource as unknown as Record<string, unknown>)[subjectField] === undefined) check.mask |= PLAIN.missingSubject;
}

/** The value-conflict findings of a merged entry, into `check`. */
export function checkConflicts(context: EntryCheckContext, entry: TimelineEntry, check: EntryCheck): void {
  const resource = entry.resource;
  for (const conflict of entry.conflicts ?? []) {
    const v = conflict.values;
    // Two sources is the usual disagreement: keyed by both; more are keyed by the list.
    const others = v.length === 2 ? v[1]!.sourceId : v.slice(1).map((x) => x.sourceId).join(',');
    detail(context, check, entry, resource, 'value-conflict', 'warning', `${resource.resourceType}.${conflict.field}`, [resource.resourceType, conflict.field, `${v[0]!.sourceId}\u0000${others}`], () => ({ field: conflict.field, sources: v.map((x) => x.sourceId).join(',') }));
  }
}
