import type { Observation } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { clinicalTimeOf, recordedTimeOf, timeKey } from './clinical-time.ts';
import { dedupeKey } from './dedupe-key.ts';
import { describeResource } from './describe-resource.ts';
import { mergeInto } from './merge-entries.ts';
import { normalizeLab } from './normalize/normalize-lab.ts';

/** Resources that describe the patient or the context, not something that happened to them. */
const NOT_EVENTS = new Set(['Patient', 'Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Medication', 'Device', 'Endpoint', 'Provenance']);

const nativeKey = (sourceId: string, reference: string) => `${sourceId}:${reference}`;

export function toTimelineEntry(item: SourcedResource): TimelineEntry {
  const { resource, provenance } = item;
  const description = describeResource(resource);
  const lab = resource.resourceType === 'Observation' ? normalizeLab(resource as Observation) : undefined;
  return {
    id: nativeKey(provenance.sourceId, provenance.nativeId),
    ...description,
    clinicalTime: clinicalTimeOf(resource),
    recordedTime: recordedTimeOf(resource),
    provenance: [provenance],
    ...(lab ? { lab } : {}),
    resource,
  };
}

/** Newest first, which is how a clinician scans a chart; ties keep a stable order by id. */
export function compareEntries(a: TimelineEntry, b: TimelineEntry): number {
  const byTime = timeKey(b.clinicalTime) - timeKey(a.clinicalTime);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

interface Refs {
  encounter?: { reference?: string };
  context?: { encounter?: { reference?: string }[] };
  result?: { reference?: string }[];
}

/** One system's own record behind a (possibly merged) entry. */
interface Member {
  sourceId: string;
  resource: TimelineEntry['resource'];
}

/**
 * Links results to their report (lab panel) and entries to their encounter. Each system's
 * references are resolved within that system, through every record merged into an entry, so a
 * report merged from LIS and CDR still finds the results either of them pointed at.
 */
function linkGroups(entries: TimelineEntry[], members: Member[][], entryIdOf: Map<string, string>): TimelineEntry[] {
  const resolve = (sourceId: string, reference: string | undefined) => (reference ? entryIdOf.get(nativeKey(sourceId, reference)) : undefined);
  const panelOf = new Map<string, string>();
  entries.forEach((entry, i) => {
    if (entry.resource.resourceType !== 'DiagnosticReport') return;
    for (const m of members[i]!) {
      for (const r of (m.resource as Refs).result ?? []) {
        const target = resolve(m.sourceId, r.reference);
        if (target) panelOf.set(target, entry.id);
      }
    }
  });
  return entries.map((entry, i) => {
    let encounterId: string | undefined;
    for (const m of members[i]!) {
      const refs = m.resource as Refs;
      encounterId ??= resolve(m.sourceId, refs.encounter?.reference ?? refs.context?.encounter?.[0]?.reference);
    }
    const panelId = panelOf.get(entry.id);
    return encounterId || panelId ? { ...entry, ...(encounterId ? { encounterId } : {}), ...(panelId ? { panelId } : {}) } : entry;
  });
}

/**
 * The timeline is a derived view, rebuilt from the resources each time a source answers:
 * normalised (LOINC, UCUM), de-duplicated across systems (one entry, every provenance,
 * conflicts flagged), grouped (encounter, lab panel) and ordered by clinical time.
 */
export function buildTimeline(items: Iterable<SourcedResource>): TimelineEntry[] {
  const merged: TimelineEntry[] = [];
  const members: Member[][] = [];
  const sortKeys: number[] = [];
  // Dedupe key → index of the merged entry (a number; an array only when one system sent
  // several records with the same key, which is rare — this is the hot loop at 100k entries).
  const openByKey = new Map<string, number | number[]>();
  // Every system's record id (and logical id) → the id of the entry it ended up in.
  const entryIdOf = new Map<string, string>();

  for (const item of items) {
    if (NOT_EVENTS.has(item.resource.resourceType)) continue;
    const entry = toTimelineEntry(item);
    // The same record delivered twice by one source (e.g. a retried page) counts once.
    if (entryIdOf.has(entry.id)) continue;
    const t = timeKey(entry.clinicalTime);
    const key = dedupeKey(entry, t);
    const source = item.provenance.sourceId;
    const open = key === undefined ? undefined : openByKey.get(key);
    const candidates = open === undefined ? [] : typeof open === 'number' ? [open] : open;
    // Merge only across systems: two records of one system are two facts, however alike.
    const target = candidates.find((i) => !merged[i]!.provenance.some((p) => p.sourceId === source));
    const index = target ?? merged.length;
    if (target !== undefined) {
      merged[target] = mergeInto(merged[target]!, entry);
      members[target]!.push({ sourceId: source, resource: entry.resource });
    } else {
      merged.push(entry);
      members.push([{ sourceId: source, resource: entry.resource }]);
      sortKeys.push(t);
      if (key !== undefined) openByKey.set(key, open === undefined ? index : [...candidates, index]);
    }
    const mergedId = merged[index]!.id;
    entryIdOf.set(entry.id, mergedId);
    // Systems reference their records by logical id ("Observation/123"), which may differ from
    // the native id in the provenance (an HL7 v2 segment path), so both resolve.
    const logical = entry.resource.id ? `${entry.resource.resourceType}/${entry.resource.id}` : undefined;
    if (logical && logical !== item.provenance.nativeId) entryIdOf.set(nativeKey(source, logical), mergedId);
  }
  return sortNewestFirst(linkGroups(merged, members, entryIdOf), sortKeys);
}

/** Sorts with clinical times parsed once per entry, not once per comparison. */
function sortNewestFirst(entries: TimelineEntry[], keys: number[]): TimelineEntry[] {
  const order = entries.map((_, i) => i);
  order.sort((i, j) => {
    const a = keys[i]!;
    const b = keys[j]!;
    if (a !== b) return b - a;
    const x = entries[i]!.id;
    const y = entries[j]!.id;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return order.map((i) => entries[i]!);
}
