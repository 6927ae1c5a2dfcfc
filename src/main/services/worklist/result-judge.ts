import type { Observation } from '../../../shared/domain/fhir.ts';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { LabValue, TimelineEntry } from '../../../shared/domain/timeline.ts';
import { isAbnormal, isSourceCritical } from './new-results.ts';

/** What a row's badges count among a patient's new results. */
export interface ResultJudgement {
  /** Outside the reference range by the source's flag, the result's own range, or a configured critical limit. */
  abnormal: number;
  /** Critical values nobody has acknowledged. */
  critical: number;
}

/**
 * The result-judging port: the clinical-alerts service plugs in here (configured critical limits,
 * acknowledgements); without it, what the sources flagged and the results' own ranges decide.
 */
export type ResultJudgePort = (patient: {
  refs: readonly SourcePatientRef[];
  newResults: readonly Observation[];
  /** The same new results as the row read them, with their provenance (what acknowledgements are keyed by): no second read of the cache. */
  newRecords: readonly SourcedResource[];
}) => ResultJudgement | Promise<ResultJudgement>;

/** A number outside [low, high] (either bound may be missing). */
function outside(value: number | undefined, low: number | undefined, high: number | undefined): boolean {
  if (value === undefined || !Number.isFinite(value)) return false;
  return (low !== undefined && value < low) || (high !== undefined && value > high);
}

/** A result outside the range it was reported with, in the timeline's normalised unit. */
export const outsideReferenceRange = (lab: LabValue | undefined): boolean => outside(lab?.value, lab?.low, lab?.high);

/** The same for a raw Observation: only when the range is in the value's own unit (or names none). */
function quantityOutsideRange(o: Observation): boolean {
  const q = o.valueQuantity;
  const range = o.referenceRange?.[0];
  if (q?.value === undefined || !range) return false;
  const sameUnit = (u: string | undefined) => u === undefined || u === q.unit || u === q.code;
  const low = range.low && sameUnit(range.low.unit ?? range.low.code) ? range.low.value : undefined;
  const high = range.high && sameUnit(range.high.unit ?? range.high.code) ? range.high.value : undefined;
  return outside(q.value, low, high);
}

/** Abnormal entries among new results: the source's flag, the reported range, or `isCritical` (configured limits). */
export function countAbnormalEntries(entries: readonly TimelineEntry[], isCritical: (entry: TimelineEntry) => boolean): number {
  return entries.filter(
    (e) =>
      e.resource.resourceType === 'Observation' && (isAbnormal(e.resource as Observation) || outsideReferenceRange(e.lab) || isCritical(e)),
  ).length;
}

/** Without the clinical-alerts service: the sources' flags and the results' own ranges. */
export const sourceJudgedResults: ResultJudgePort = ({ newResults }) => ({
  abnormal: newResults.filter((o) => isAbnormal(o) || quantityOutsideRange(o)).length,
  critical: newResults.filter(isSourceCritical).length,
});
