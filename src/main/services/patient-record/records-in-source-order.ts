import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import { cacheKeyOf } from './cache-key.ts';

/**
 * One patient's records from every system, system by system in the configuration's order (then
 * by record id), whatever order the systems answered in. The timeline merges the same fact from
 * two systems into the entry of the first one met, so an order that followed the answers gave
 * the doctor and the nurse different onset dates and allergy criticality for the same patient,
 * and the same clinician a different record on each open.
 */
export function recordsInSourceOrder(
  parts: ReadonlyMap<string, SourcedResource[]>,
  refs: readonly SourcePatientRef[],
  sourceOrder: ReadonlyMap<string, unknown>,
): SourcedResource[] {
  const rank = new Map<string, number>();
  let i = 0;
  for (const id of sourceOrder.keys()) rank.set(id, i++);
  const ordered = [...refs]
    .sort(
      (a, b) =>
        (rank.get(a.sourceId) ?? rank.size) - (rank.get(b.sourceId) ?? rank.size) ||
        (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0) ||
        (a.sourcePatientId < b.sourcePatientId ? -1 : a.sourcePatientId > b.sourcePatientId ? 1 : 0),
    )
    .map(cacheKeyOf);
  const keys = new Set(ordered);
  // Parts no ref names (none today) still count, after the others.
  for (const key of parts.keys()) keys.add(key);
  const out: SourcedResource[] = [];
  for (const key of keys) {
    const part = parts.get(key);
    if (part) for (const r of part) out.push(r);
  }
  return out;
}
