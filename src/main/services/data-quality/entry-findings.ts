import type { Observation, Resource } from '@medplum/fhirtypes';
import type { QualityFinding } from '../../../shared/domain/quality.ts';
import type { TimelineEntry, TimelineKind } from '../../../shared/domain/timeline.ts';
import { ucumCodeFor } from '../../../adapters/units/index.ts';
import { analyteByLoinc } from '../timeline/index.ts';
import { isStandardSystem } from './code-systems.ts';
import { implausibleSide } from './plausibility.ts';
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
}

export function entryCheckContext(now: Date): EntryCheckContext {
  return { futureAfter: new Date(now.getTime() + FUTURE_GRACE_MS).toISOString() };
}

/** What one entry's checks found: parameterless kinds as bits, the others as findings (rare). */
export interface EntryCheck {
  mask: number;
  /** Findings with parameters; undefined while there are none. */
  detailed: QualityFinding[] | undefined;
}

function detail(check: EntryCheck, entry: TimelineEntry, resource: Resource, code: QualityFinding['code'], severity: QualityFinding['severity'], field: string, params: Record<string, string>): void {
  (check.detailed ??= []).push({ code, severity, sourceId: entry.provenance[0]!.sourceId, resourceType: resource.resourceType, field, params });
}

function checkCodes(entry: TimelineEntry, resource: Resource, check: EntryCheck): void {
  if (!CODED_KINDS.has(entry.kind)) return;
  if (entry.codes.length === 0) {
    check.mask |= PLAIN.missingCode;
    return;
  }
  // A local code the timeline mapped to an analyte is mapped; so is any standard coding.
  if (entry.lab?.loinc !== undefined) return;
  for (const c of entry.codes) if (isStandardSystem(c.system)) return;
  const local = entry.codes.find((c) => c.code !== undefined) ?? entry.codes[0]!;
  detail(check, entry, resource, 'unmapped-code', 'warning', `${resource.resourceType}.code.coding`, { system: local.system ?? '', code: local.code ?? '' });
}

function checkObservation(entry: TimelineEntry, observation: Observation, check: EntryCheck): void {
  const q = observation.valueQuantity;
  const unit = q?.code ?? q?.unit;
  if (q?.value !== undefined && unit !== undefined && unit.trim() !== '' && ucumCodeFor(unit) === undefined) {
    detail(check, entry, observation, 'unit-not-ucum', 'warning', 'Observation.valueQuantity.unit', { unit });
  }
  const lab = entry.lab;
  if (lab?.analyte !== undefined && lab.loinc !== undefined && lab.value !== undefined && lab.unit !== undefined) {
    const analyte = analyteByLoinc(lab.loinc);
    if (analyte && lab.unit !== analyte.canonicalUnit && ucumCodeFor(lab.unit) !== analyte.canonicalUnit) {
      detail(check, entry, observation, 'unit-not-convertible', 'warning', 'Observation.valueQuantity.unit', { unit: lab.unit, analyte: lab.analyte, expected: analyte.canonicalUnit });
    } else {
      const broken = implausibleSide(lab.loinc, lab.value, lab.unit);
      if (broken) {
        const bound = broken.side === 'low' ? broken.range.low : broken.range.high;
        detail(check, entry, observation, 'implausible-value', 'error', 'Observation.valueQuantity.value', { analyte: lab.analyte, loinc: lab.loinc, side: broken.side, bound: String(bound), unit: broken.range.unit });
      }
    }
  }
  if (observation.valueString !== undefined && NUMBER_AS_TEXT.test(observation.valueString)) check.mask |= PLAIN.numericAsText;
}

/** Checks one timeline entry's own resource into `check` (reset by the caller). */
export function checkEntry(entry: TimelineEntry, context: EntryCheckContext, check: EntryCheck): void {
  const resource = entry.resource;
  checkCodes(entry, resource, check);
  if (resource.resourceType === 'Observation') checkObservation(entry, resource as Observation, check);
  if (entry.clinicalTime === undefined) check.mask |= entry.kind === 'document' || entry.kind === 'other' ? PLAIN.missingTimeInfo : PLAIN.missingTime;
  else if (entry.clinicalTime > context.futureAfter) check.mask |= PLAIN.futureDate;
  const subjectField = SUBJECT_FIELD.get(resource.resourceType);
  if (subjectField !== undefined && (resource as unknown as Record<string, unknown>)[subjectField] === undefined) check.mask |= PLAIN.missingSubject;
  const conflicts = entry.conflicts;
  if (conflicts !== undefined) {
    for (const conflict of conflicts) {
      detail(check, entry, resource, 'value-conflict', 'warning', `${resource.resourceType}.${conflict.field}`, { field: conflict.field, sources: conflict.values.map((v) => v.sourceId).join(',') });
    }
  }
}
