import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { clinicalTimeOf, recordedTimeOf, timeKey } from './clinical-time.ts';
import { describeResource } from './describe-resource.ts';

/** Resources that describe the patient or the context, not something that happened to them. */
const NOT_EVENTS = new Set(['Patient', 'Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Medication', 'Device', 'Endpoint']);

export function toTimelineEntry(item: SourcedResource): TimelineEntry {
  const { resource, provenance } = item;
  const description = describeResource(resource);
  return {
    id: `${provenance.sourceId}:${provenance.nativeId}`,
    ...description,
    clinicalTime: clinicalTimeOf(resource),
    recordedTime: recordedTimeOf(resource),
    provenance: [provenance],
    resource,
  };
}

/** Newest first, which is how a clinician scans a chart; ties keep a stable order by id. */
export function compareEntries(a: TimelineEntry, b: TimelineEntry): number {
  const byTime = timeKey(b.clinicalTime) - timeKey(a.clinicalTime);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The timeline is a derived view: rebuilt from the resources each time a source answers.
 * The same record delivered twice by one source (e.g. a retried page) collapses to one entry.
 */
export function buildTimeline(items: Iterable<SourcedResource>): TimelineEntry[] {
  const byId = new Map<string, TimelineEntry>();
  for (const item of items) {
    if (NOT_EVENTS.has(item.resource.resourceType)) continue;
    const entry = toTimelineEntry(item);
    if (!byId.has(entry.id)) byId.set(entry.id, entry);
  }
  return [...byId.values()].sort(compareEntries);
}
