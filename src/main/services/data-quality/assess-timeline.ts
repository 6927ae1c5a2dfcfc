import type { Patient } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { QualityFinding } from '../../../shared/domain/quality.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { buildTimeline } from '../timeline/index.ts';
import { checkEntry, entryCheckContext, SUBJECT_FIELD, type EntryCheck } from './entry-findings.ts';
import { PLAIN, SharedFindings } from './shared-findings.ts';
import { patientFindings } from './record-findings.ts';

export interface QualityAssessment {
  /** Findings about records that are not on the timeline (the Patient's identifiers). */
  recordFindings: QualityFinding[];
}

/** Source id → native ids it sent twice with different content (a retried page repeats itself unchanged). */
function differingRepeats(items: readonly SourcedResource[], repeats: readonly SourcedResource[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (repeats.length === 0) return out;
  const firsts = new Map<string, SourcedResource>();
  const wanted = new Set(repeats.map((r) => `${r.provenance.sourceId}\u0000${r.provenance.nativeId}`));
  for (const item of items) {
    const key = `${item.provenance.sourceId}\u0000${item.provenance.nativeId}`;
    if (wanted.has(key) && !firsts.has(key)) firsts.set(key, item);
  }
  for (const repeat of repeats) {
    const first = firsts.get(`${repeat.provenance.sourceId}\u0000${repeat.provenance.nativeId}`);
    if (first === repeat || (first && JSON.stringify(first.resource) === JSON.stringify(repeat.resource))) continue;
    let ids = out.get(repeat.provenance.sourceId);
    if (!ids) out.set(repeat.provenance.sourceId, (ids = new Set()));
    ids.add(repeat.provenance.nativeId);
  }
  return out;
}

/**
 * Puts each entry's findings on it (`entry.quality`, absent when clean) and returns the findings
 * of records the timeline does not show. `repeats` are the records the build counted once
 * because their source sent the id again. The entries are the build's own objects, so findings
 * are added in place rather than by a copy of every entry.
 */
export function assessTimeline(entries: TimelineEntry[], items: readonly SourcedResource[], now: Date = new Date(), repeats: readonly SourcedResource[] = []): QualityAssessment {
  const context = entryCheckContext(now);
  const duplicates = differingRepeats(items, repeats);
  const shared = new SharedFindings();
  const check: EntryCheck = { mask: 0, detailed: undefined };
  for (const entry of entries) {
    check.mask = 0;
    check.detailed = undefined;
    checkEntry(entry, context, check);
    if (duplicates.size > 0) for (const p of entry.provenance) if (duplicates.get(p.sourceId)?.has(p.nativeId)) check.mask |= PLAIN.duplicateId;
    if (check.mask === 0 && check.detailed === undefined) {
      if (entry.quality !== undefined) delete entry.quality;
      continue;
    }
    const type = entry.resource.resourceType;
    const plain = check.mask === 0 ? undefined : shared.get(entry.provenance[0]!.sourceId, type, SUBJECT_FIELD.get(type) ?? 'subject', check.mask);
    // Parameterless findings only: the shared, frozen array itself (most defective entries).
    entry.quality = check.detailed === undefined ? (plain as QualityFinding[]) : plain === undefined ? check.detailed : [...plain, ...check.detailed];
  }
  const recordFindings: QualityFinding[] = [];
  for (const item of items) {
    if (item.resource.resourceType === 'Patient') recordFindings.push(...patientFindings(item as SourcedResource<Patient>, now));
  }
  return { recordFindings };
}

/** The timeline of a record with every entry's quality findings on it: nothing dropped silently. */
export function buildCheckedTimeline(items: readonly SourcedResource[], now: Date = new Date()): QualityAssessment & { entries: TimelineEntry[] } {
  const repeats: SourcedResource[] = [];
  const entries = buildTimeline(items, (item) => repeats.push(item));
  const { recordFindings } = assessTimeline(entries, items, now, repeats);
  return { entries, recordFindings };
}
