import type { Observation, Resource } from '@medplum/fhirtypes';
import type { QualityFinding } from '../../../shared/domain/quality.ts';
import type { TimelineEntry, TimelineKind } from '../../../shared/domain/timeline.ts';
import { ucumCodeFor } from '../../../adapters/units/index.ts';
import { analyteByLoinc } from '../timeline/index.ts';
import { isStandardSystem } from './code-systems.ts';
import { implausibleSide } from './plausibility.ts';

/** Kinds whose code names what was found or done: a local code there needs a mapping. */
const CODED_KINDS: ReadonlySet<TimelineKind> = new Set(['observation', 'condition', 'procedure', 'report']);

/** Kinds that are about the patient: a record of them without a subject belongs to no one. */
const SUBJECT_FIELD: Readonly<Record<string, string>> = {
  Observation: 'subject',
  Condition: 'subject',
  DiagnosticReport: 'subject',
  Procedure: 'subject',
  Encounter: 'subject',
  MedicationRequest: 'subject',
  MedicationStatement: 'subject',
  MedicationAdministration: 'subject',
  ImagingStudy: 'subject',
  DocumentReference: 'subject',
  AllergyIntolerance: 'patient',
  Immunization: 'patient',
};

/** A number, possibly with a comparator, written as text ("5.6", "< 0.01"). */
const NUMBER_AS_TEXT = /^\s*[<>≤≥]?=?\s*[-+]?\d+(?:\.\d+)?\s*$/;

/** Clocks differ between systems and time zones are often dropped: a day's grace before "future". */
const FUTURE_GRACE_MS = 24 * 60 * 60 * 1000;

/** One date key per finding: the string compares fast enough for 100,000 entries. */
export interface EntryCheckContext {
  /** ISO instant past which a clinical time is in the future. */
  futureAfter: string;
}

export function entryCheckContext(now: Date): EntryCheckContext {
  return { futureAfter: new Date(now.getTime() + FUTURE_GRACE_MS).toISOString() };
}

function finding(entry: TimelineEntry, resource: Resource, code: QualityFinding['code'], severity: QualityFinding['severity'], field: string, params?: Record<string, string>): QualityFinding {
  return { code, severity, sourceId: entry.provenance[0]!.sourceId, resourceType: resource.resourceType, field, params };
}

function checkCodes(entry: TimelineEntry, resource: Resource, out: QualityFinding[]): void {
  if (!CODED_KINDS.has(entry.kind)) return;
  if (entry.codes.length === 0) {
    out.push(finding(entry, resource, 'missing-code', 'error', `${resource.resourceType}.code`));
    return;
  }
  // A local code the timeline mapped to an analyte is mapped; so is any standard coding.
  if (entry.lab?.loinc !== undefined) return;
  if (entry.codes.some((c) => isStandardSystem(c.system))) return;
  const local = entry.codes.find((c) => c.code !== undefined) ?? entry.codes[0]!;
  out.push(finding(entry, resource, 'unmapped-code', 'warning', `${resource.resourceType}.code.coding`, { system: local.system ?? '', code: local.code ?? '' }));
}

function checkObservation(entry: TimelineEntry, observation: Observation, out: QualityFinding[]): void {
  const q = observation.valueQuantity;
  const unit = q?.code ?? q?.unit;
  if (q?.value !== undefined && unit !== undefined && unit.trim() !== '' && ucumCodeFor(unit) === undefined) {
    out.push(finding(entry, observation, 'unit-not-ucum', 'warning', 'Observation.valueQuantity.unit', { unit }));
  }
  const lab = entry.lab;
  if (lab?.analyte !== undefined && lab.loinc !== undefined && lab.value !== undefined && lab.unit !== undefined) {
    const analyte = analyteByLoinc(lab.loinc);
    if (analyte && lab.unit !== analyte.canonicalUnit && ucumCodeFor(lab.unit) !== analyte.canonicalUnit) {
      out.push(finding(entry, observation, 'unit-not-convertible', 'warning', 'Observation.valueQuantity.unit', { unit: lab.unit, analyte: lab.analyte, expected: analyte.canonicalUnit }));
    } else {
      const broken = implausibleSide(lab.loinc, lab.value, lab.unit);
      if (broken) {
        const bound = broken.side === 'low' ? broken.range.low : broken.range.high;
        out.push(finding(entry, observation, 'implausible-value', 'error', 'Observation.valueQuantity.value', { analyte: lab.analyte, loinc: lab.loinc, side: broken.side, bound: String(bound), unit: broken.range.unit }));
      }
    }
  }
  if (observation.valueString !== undefined && NUMBER_AS_TEXT.test(observation.valueString)) {
    out.push(finding(entry, observation, 'numeric-as-text', 'warning', 'Observation.valueString'));
  }
}

/** The findings one timeline entry's own resource has; [] when none. */
export function entryFindings(entry: TimelineEntry, context: EntryCheckContext): QualityFinding[] {
  const out: QualityFinding[] = [];
  const resource = entry.resource;
  checkCodes(entry, resource, out);
  if (resource.resourceType === 'Observation') checkObservation(entry, resource as Observation, out);
  if (entry.clinicalTime === undefined) {
    out.push(finding(entry, resource, 'missing-time', entry.kind === 'document' || entry.kind === 'other' ? 'info' : 'warning', `${resource.resourceType}.effective`));
  } else if (entry.clinicalTime > context.futureAfter) {
    out.push(finding(entry, resource, 'future-date', 'error', `${resource.resourceType}.effective`));
  }
  const subjectField = SUBJECT_FIELD[resource.resourceType];
  if (subjectField !== undefined && (resource as unknown as Record<string, unknown>)[subjectField] === undefined) {
    out.push(finding(entry, resource, 'missing-subject', 'error', `${resource.resourceType}.${subjectField}`));
  }
  for (const conflict of entry.conflicts ?? []) {
    out.push(finding(entry, resource, 'value-conflict', 'warning', `${resource.resourceType}.${conflict.field}`, { field: conflict.field, sources: conflict.values.map((v) => v.sourceId).join(',') }));
  }
  return out;
}
