import type { Conflict, TimelineEntry } from '../../../../shared/domain/timeline.ts';
import type { ReconciledGroup } from './reconcile-keys.ts';
import { statusClass, statusCode } from './status-class.ts';

function criticalityOf(entry: TimelineEntry): string | undefined {
  return (entry.resource as { criticality?: string }).criticality;
}

function valueOf(entry: TimelineEntry, value: string): Conflict['values'][number] {
  const p = entry.provenance[0]!;
  return { sourceId: p.sourceId, sourceName: p.sourceName, value };
}

/** Adds `other`'s value to the conflict on `field`, or opens one when the two disagree. */
function withConflict(
  conflicts: Conflict[] | undefined,
  field: string,
  primary: TimelineEntry,
  a: string,
  other: TimelineEntry,
  b: string,
  disagree: boolean,
): Conflict[] | undefined {
  const existing = conflicts?.find((c) => c.field === field);
  if (existing) return conflicts!.map((c) => (c === existing ? { field, values: [...c.values, valueOf(other, b)] } : c));
  if (!disagree) return conflicts;
  return [...(conflicts ?? []), { field, values: [valueOf(primary, a), valueOf(other, b)] }];
}

/**
 * The disagreements that matter when two systems' problem, allergy or drug records become one
 * entry: "active" against "resolved"/"stopped" (field `status`, values the systems' own codes),
 * and for allergies a criticality that differs where one of them is high (field
 * `criticality`). A record that does not say is no disagreement. Both values are kept.
 */
export function reconcileConflicts(
  group: ReconciledGroup,
  primary: TimelineEntry,
  other: TimelineEntry,
  conflicts: Conflict[] | undefined,
): Conflict[] | undefined {
  const a = statusCode(group, primary.resource);
  const b = statusCode(group, other.resource);
  let out = conflicts;
  if (b !== undefined) {
    const ca = statusClass(group, a);
    const cb = statusClass(group, b);
    out = withConflict(out, 'status', primary, a ?? '', other, b, ca !== undefined && cb !== undefined && ca !== cb);
  }
  if (group === 'allergy') {
    const x = criticalityOf(primary);
    const y = criticalityOf(other);
    const differ = x !== y && (x !== undefined && y !== undefined ? true : x === 'high' || y === 'high');
    if (y !== undefined || differ) out = withConflict(out, 'criticality', primary, x ?? '', other, y ?? '', differ);
  }
  return out;
}
