import type { TimelineEntry } from '../../../../shared/domain/timeline.ts';
import { clinicalTimeOf } from '../clinical-time.ts';
import { describeResource } from '../describe-resource.ts';
import { mergeInto } from '../merge-entries.ts';
import { reconcileStatements } from './reconcile-conflicts.ts';
import type { ReconciledGroup } from './reconcile-keys.ts';

/**
 * Folds another system's problem, allergy or drug record into an entry: every provenance, the
 * fields the entry left empty taken from the system that states them, and each disagreement as
 * a conflict. The entry's words (summary, status) and time follow the filled resource.
 */
export function mergeReconciled(group: ReconciledGroup, primary: TimelineEntry, other: TimelineEntry): TimelineEntry {
  const merged = mergeInto(primary, other);
  const { resource, statedBy, conflicts } = reconcileStatements(group, primary, other, merged.conflicts);
  if (conflicts) merged.conflicts = conflicts;
  if (resource) {
    const d = describeResource(resource);
    merged.resource = resource;
    merged.summary = d.summary;
    merged.status = d.status;
    merged.clinicalTime = clinicalTimeOf(resource);
    merged.statedBy = statedBy;
  }
  return merged;
}
