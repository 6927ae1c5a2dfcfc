import type { TimelineEntry } from '../../../../shared/domain/timeline.ts';
import { mergeInto } from '../merge-entries.ts';
import { reconcileConflicts } from './reconcile-conflicts.ts';
import type { ReconciledGroup } from './reconcile-keys.ts';

/** Folds another system's problem, allergy or drug record into an entry: every provenance, and each disagreement as a conflict. */
export function mergeReconciled(group: ReconciledGroup, primary: TimelineEntry, other: TimelineEntry): TimelineEntry {
  const merged = mergeInto(primary, other);
  const conflicts = reconcileConflicts(group, primary, other, merged.conflicts);
  if (conflicts) merged.conflicts = conflicts;
  return merged;
}
