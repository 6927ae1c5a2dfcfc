import type { Patient } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { QualityFinding } from '../../../shared/domain/quality.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { entryCheckContext, entryFindings } from './entry-findings.ts';
import { duplicateKeys, patientFindings } from './record-findings.ts';

export interface QualityAssessment {
  /** Findings about records that are not on the timeline (the Patient's identifiers). */
  recordFindings: QualityFinding[];
}

/**
 * Puts each entry's findings on it (`entry.quality`, absent when clean) and returns the findings
 * of records the timeline does not show. The entries are the timeline build's own objects, so
 * findings are added in place rather than by a copy of every entry.
 */
export function assessTimeline(entries: TimelineEntry[], items: readonly SourcedResource[], now: Date = new Date()): QualityAssessment {
  const context = entryCheckContext(now);
  const duplicates = duplicateKeys(items);
  for (const entry of entries) {
    const found = entryFindings(entry, context);
    if (duplicates.size > 0) {
      for (const p of entry.provenance) {
        if (duplicates.has(`${p.sourceId}:${p.nativeId}`)) found.push({ code: 'duplicate-id', severity: 'warning', sourceId: p.sourceId, resourceType: entry.resource.resourceType, field: `${entry.resource.resourceType}.id` });
      }
    }
    if (found.length > 0) entry.quality = found;
    else delete entry.quality;
  }
  const recordFindings: QualityFinding[] = [];
  for (const item of items) {
    if (item.resource.resourceType === 'Patient') recordFindings.push(...patientFindings(item as SourcedResource<Patient>, now));
  }
  return { recordFindings };
}
