/**
 * The reports linked to each study the viewer can open, keyed by Study Instance UID: the
 * shared linking rules (accession number and/or UID) over the record's entries.
 */
import { reportsForStudy, studyKeysOf, type LinkedReport } from '../../../shared/domain/imaging-report-link.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';

export type { LinkedReport, ReportMatch } from '../../../shared/domain/imaging-report-link.ts';

export function studyReports(entries: readonly TimelineEntry[]): ReadonlyMap<string, LinkedReport[]> {
  // One study from several sources: every copy's accession numbers count.
  const accessions = new Map<string, Set<string>>();
  for (const entry of entries) {
    if (entry.kind !== 'imaging') continue;
    const keys = studyKeysOf(entry);
    if (!keys) continue;
    const seen = accessions.get(keys.studyUid) ?? new Set<string>();
    for (const a of keys.accessions) seen.add(a);
    accessions.set(keys.studyUid, seen);
  }
  const byStudy = new Map<string, LinkedReport[]>();
  for (const [studyUid, seen] of accessions) byStudy.set(studyUid, reportsForStudy({ studyUid, accessions: [...seen] }, entries));
  return byStudy;
}
