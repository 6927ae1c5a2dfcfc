import type { Observation } from '@medplum/fhirtypes';
import type { CriticalLimit } from '../../../shared/config/clinical-alerts.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { sourceCriticalFlag, type CriticalDirection } from './source-flags.ts';

/** One critical result of a record, as data: the renderer words it. */
export interface CriticalValue {
  /** The timeline entry's id: the alert is the result, so the renderer can jump to it. */
  entryId: string;
  /** Every system record merged into the entry (`sourceId:nativeId`): an acknowledgement holds for any of them. */
  keys: string[];
  title: string;
  loinc?: string;
  value?: number;
  unit?: string;
  direction: CriticalDirection;
  /** The source's own flag (HH, LL, AA or its words), when it set one. */
  sourceFlag?: string;
  /** The configured limit the value reached, when one did. */
  limit?: { low?: number; high?: number; unit: string };
  clinicalTime?: string;
}

/** Results that no longer stand are never critical. */
const VOID_STATUSES = new Set(['entered-in-error', 'cancelled']);

export const keysOf = (entry: TimelineEntry): string[] => entry.provenance.map((p) => `${p.sourceId}:${p.nativeId}`);

/** The configured limit this value reaches (at or beyond), compared in the canonical unit only. */
function reachedLimit(
  entry: TimelineEntry,
  limits: ReadonlyMap<string, CriticalLimit>,
): { limit: CriticalLimit; direction: CriticalDirection } | undefined {
  const lab = entry.lab;
  if (!lab?.loinc || lab.value === undefined || !lab.unit) return undefined;
  const limit = limits.get(lab.loinc);
  if (!limit || limit.unit !== lab.unit) return undefined;
  if (limit.high !== undefined && lab.value >= limit.high) return { limit, direction: 'high' };
  if (limit.low !== undefined && lab.value <= limit.low) return { limit, direction: 'low' };
  return undefined;
}

export function indexLimits(limits: readonly CriticalLimit[]): ReadonlyMap<string, CriticalLimit> {
  return new Map(limits.map((l) => [l.loinc, l]));
}

/**
 * The critical values of a merged record, newest first as the entries are: results the source
 * flagged critical (HH/LL/AA or "critical"), and results at or beyond a configured limit for
 * their LOINC code, after the timeline's unit normalisation.
 */
export function findCriticalValues(entries: readonly TimelineEntry[], limits: ReadonlyMap<string, CriticalLimit>): CriticalValue[] {
  const found: CriticalValue[] = [];
  for (const entry of entries) {
    if (entry.resource.resourceType !== 'Observation') continue;
    const resource = entry.resource as Observation;
    if (resource.status && VOID_STATUSES.has(resource.status)) continue;
    const flagged = sourceCriticalFlag(resource.interpretation);
    const reached = reachedLimit(entry, limits);
    if (!flagged && !reached) continue;
    const lab = entry.lab;
    found.push({
      entryId: entry.id,
      keys: keysOf(entry),
      title: entry.title,
      ...(lab?.loinc ? { loinc: lab.loinc } : {}),
      ...(lab?.value !== undefined
        ? { value: lab.value }
        : resource.valueQuantity?.value !== undefined
          ? { value: resource.valueQuantity.value }
          : {}),
      ...(lab?.unit ? { unit: lab.unit } : resource.valueQuantity?.unit ? { unit: resource.valueQuantity.unit } : {}),
      direction: flagged?.direction === 'abnormal' && reached ? reached.direction : (flagged?.direction ?? reached!.direction),
      ...(flagged ? { sourceFlag: flagged.flag } : {}),
      ...(reached
        ? {
            limit: {
              ...(reached.limit.low !== undefined ? { low: reached.limit.low } : {}),
              ...(reached.limit.high !== undefined ? { high: reached.limit.high } : {}),
              unit: reached.limit.unit,
            },
          }
        : {}),
      ...(entry.clinicalTime ? { clinicalTime: entry.clinicalTime } : {}),
    });
  }
  return found;
}
