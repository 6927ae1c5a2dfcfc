import type { CodeableConcept, Observation, Resource } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { clinicalTimeOf, recordedTimeOf, timeKey } from './clinical-time.ts';
import { DedupeIndex } from './dedupe-index.ts';
import { dedupeKeyParts, type DedupeKeyParts } from './dedupe-key.ts';
import { describeResource } from './describe-resource.ts';
import { mergeInto } from './merge-entries.ts';
import { RecordIndex } from './record-index.ts';
import { sortNewestFirst } from './sort-newest-first.ts';
import { normalizeLab } from './normalize/normalize-lab.ts';
import { conceptText } from './concept-text.ts';
import { referencedMedication } from './medication-concept.ts';
import { timelineCodings } from './interned-codings.ts';
import {
  createReconcileIndex,
  mergeReconciled,
  reconciledGroup,
  reconcileKeys,
  type ReconciledGroup,
  type ReconcileIndex,
} from './reconcile/index.ts';

/** Resources that describe the patient or the context, not something that happened to them. */
const NOT_EVENTS = new Set([
  'Patient',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'Medication',
  'Device',
  'Endpoint',
  'Provenance',
]);

export function toTimelineEntry(item: SourcedResource): TimelineEntry {
  const { resource, provenance } = item;
  const d = describeResource(resource);
  const lab = resource.resourceType === 'Observation' ? normalizeLab(resource as Observation) : undefined;
  // One literal of one shape for every record (fields a record lacks are undefined), always in
  // the same field order: V8 then shares one hidden class, and no per-record spread copies fields.
  return {
    id: `${provenance.sourceId}:${provenance.nativeId}`,
    kind: d.kind,
    title: d.title,
    summary: d.summary,
    codes: d.codes,
    status: d.status,
    abnormal: d.abnormal,
    clinicalTime: clinicalTimeOf(resource),
    recordedTime: recordedTimeOf(resource),
    provenance: [provenance],
    lab,
    value: d.value,
    // Set by the data-quality checks as the build goes; present from the start, so an entry
    // with findings keeps the one shape every other entry has.
    quality: undefined,
    resource,
  };
}

/**
 * Checks that ride on the build (data quality): each sees a record while it is at hand, so a
 * 100,000-entry build is not walked a second time.
 */
export interface TimelineBuildHooks {
  /** A new entry made from one record, before anything merges into it. */
  entry?(entry: TimelineEntry): void;
  /** `other` (already seen by `entry`) was merged into `merged` (a new object). */
  merged?(merged: TimelineEntry, other: TimelineEntry): void;
  /** A record its source sent again under an id already seen: counted once. */
  repeat?(item: SourcedResource): void;
  /** A record about the patient or the context (Patient, Practitioner …), not on the timeline. */
  context?(item: SourcedResource): void;
  /**
   * A record that could not be read (a field not of its FHIR type: a string where a list of
   * codings belongs …): left off the timeline, the rest of the record built as usual.
   */
  unreadable?(item: SourcedResource): void;
}

/**
 * Entry index → the resources of the other systems' records merged into it, in provenance
 * order; a sparse array (most entries merge nothing), cheaper than a Map keyed by index.
 */
type MergedResources = (Resource[] | undefined)[];

interface Refs {
  encounter?: { reference?: string };
  context?: { encounter?: { reference?: string }[] };
  result?: { reference?: string }[];
}

/** True when the native id is already "Type/id", as FHIR sources' are (no string is built to find out). */
function isLogicalId(nativeId: string, type: string, id: string): boolean {
  return (
    nativeId.length === type.length + 1 + id.length &&
    nativeId.charCodeAt(type.length) === 47 &&
    nativeId.startsWith(type) &&
    nativeId.endsWith(id)
  );
}

/** Whether any record merged into the entry came from this system. */
function holdsRecordOf(entry: TimelineEntry, sourceId: string): boolean {
  const provenance = entry.provenance;
  for (let k = 0; k < provenance.length; k++) if (provenance[k]!.sourceId === sourceId) return true;
  return false;
}

/**
 * The oldest open entry under `key` with no record yet from `sourceId` (merges are across
 * systems only: two records of one system are two facts, however alike); when there is none,
 * files `index` under the key and returns undefined.
 */
function openTarget(
  open: DedupeIndex,
  key: DedupeKeyParts,
  entries: readonly TimelineEntry[],
  sourceId: string,
  index: number,
): number | undefined {
  for (let i = open.first(key); i >= 0; i = open.next()) if (!holdsRecordOf(entries[i]!, sourceId)) return i;
  open.file(index);
  return undefined;
}

/** The records merged into entry i: the entry's own resource first, then the others' (rare). */
function resourcesOf(entry: TimelineEntry, i: number, mergedResources: MergedResources): readonly Resource[] {
  const others = mergedResources[i];
  return others ? [entry.resource, ...others] : [entry.resource];
}

/**
 * Links results to their report (lab panel) and entries to their encounter. Each system's
 * references are resolved within that system, through every record merged into an entry, so a
 * report merged from LIS and CDR still finds the results either of them pointed at.
 */
function linkGroups(entries: TimelineEntry[], mergedResources: MergedResources, records: RecordIndex): void {
  // Entry index → index of its report; -1 for none.
  const panelOf = new Int32Array(entries.length).fill(-1);
  entries.forEach((entry, i) => {
    if (entry.resource.resourceType !== 'DiagnosticReport') return;
    resourcesOf(entry, i, mergedResources).forEach((resource, k) => {
      const sourceId = entry.provenance[k]!.sourceId;
      for (const r of (resource as Refs).result ?? []) {
        const target = records.resolve(sourceId, r.reference);
        if (target !== undefined) panelOf[target] = i;
      }
    });
  });
  // The entries are this build's own objects: links are added in place (a copy per linked entry
  // was a second allocation of most of a large record), encounter before panel as always.
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    let encounter: number | undefined;
    const resources = mergedResources[i] ? resourcesOf(entry, i, mergedResources) : undefined;
    for (let k = 0; k < (resources?.length ?? 1); k++) {
      const refs = (resources?.[k] ?? entry.resource) as Refs;
      encounter ??= records.resolve(entry.provenance[k]!.sourceId, refs.encounter?.reference ?? refs.context?.encounter?.[0]?.reference);
    }
    const encounterId = encounter === undefined ? undefined : entries[encounter]!.id;
    if (encounterId) entry.encounterId = encounterId;
    if (panelOf[i]! >= 0) entry.panelId = entries[panelOf[i]!]!.id;
  }
}

/** Gives entries whose drug is a reference the referenced Medication's code (same source). */
function nameReferencedDrugs(
  entries: TimelineEntry[],
  pending: readonly { index: number; source: string; reference: string }[],
  medications: ReadonlyMap<string, Resource>,
): void {
  for (const { index, source, reference } of pending) {
    // "Medication/1" or an absolute URL ending in it.
    const local = reference.slice(reference.lastIndexOf('Medication/'));
    const code = (medications.get(`${source}|${local}`) as { code?: CodeableConcept } | undefined)?.code;
    const title = conceptText(code);
    const entry = entries[index]!;
    if (title === undefined || entry.codes.length > 0) continue;
    entry.title = title;
    entry.codes = timelineCodings(code?.coding);
  }
}

/**
 * The timeline is a derived view, rebuilt from the resources each time a source answers:
 * normalised (LOINC, UCUM), de-duplicated across systems (one entry, every provenance,
 * conflicts flagged), grouped (encounter, lab panel) and ordered by clinical time.
 */
export function buildTimeline(items: Iterable<SourcedResource>, hooks?: TimelineBuildHooks): TimelineEntry[] {
  // Sized for the records at hand when known, so nothing need grow while filling (growing an
  // array of 100,000 copies it a dozen times); trimmed to the entries made at the end.
  const expected = Array.isArray(items) ? items.length : undefined;
  const merged = new Array<TimelineEntry>(expected ?? 0);
  const sortKeys = new Array<number>(expected ?? 0);
  let count = 0;
  const mergedResources: MergedResources = [];
  const open = new DedupeIndex(expected);
  // Problems, allergies and drugs: made on the first one met (most records are results).
  let reconcile: ReconcileIndex | undefined;
  // Records of non-FHIR sources are filed under two names (native and logical id).
  const records = new RecordIndex(expected === undefined ? undefined : 2 * expected);
  const holdsSource = (i: number, sourceId: string) => holdsRecordOf(merged[i]!, sourceId);

  // Medication records, and entries naming their drug by reference to one: resolved at the end
  // (the Medication may come after the order). Both are rare; nothing is kept otherwise.
  let medications: Map<string, Resource> | undefined;
  let byMedicationRef: { index: number; source: string; reference: string }[] | undefined;
  for (const item of items) {
    const { resource, provenance } = item;
    if (NOT_EVENTS.has(resource.resourceType)) {
      hooks?.context?.(item);
      if (resource.resourceType === 'Medication' && resource.id)
        (medications ??= new Map()).set(`${provenance.sourceId}|Medication/${resource.id}`, resource);
      continue;
    }
    const source = provenance.sourceId;
    // The same record delivered twice by one source (e.g. a retried page) counts once.
    const slot = records.claim(source, provenance.nativeId);
    if (slot < 0) {
      // Counted once, but not silently: the data-quality checks decide whether it is a defect.
      hooks?.repeat?.(item);
      continue;
    }
    // Adapters pass a FHIR server's records on as sent: one whose fields are not of their FHIR
    // type must cost that record, never the patient's whole timeline (nothing else is lost).
    let entry: TimelineEntry;
    let t: number;
    let group: ReconciledGroup | undefined;
    let target: number | undefined;
    let mergedEntry: TimelineEntry | undefined;
    try {
      entry = toTimelineEntry(item);
      hooks?.entry?.(entry);
      t = timeKey(entry.clinicalTime);
      group = entry.kind === 'observation' ? undefined : reconciledGroup(resource.resourceType);
      if (group) {
        // What is true of the patient merges by what it names, whatever day each system wrote it.
        const keys = reconcileKeys(
          group,
          entry,
          referencedMedication(resource as Parameters<typeof referencedMedication>[0]) !== undefined,
        );
        target = keys === undefined ? undefined : (reconcile ??= createReconcileIndex()).findOrFile(keys, source, holdsSource, count);
      } else {
        const key = dedupeKeyParts(entry, t);
        target = key === undefined ? undefined : openTarget(open, key, merged, source, count);
      }
      if (target !== undefined) mergedEntry = group ? mergeReconciled(group, merged[target]!, entry) : mergeInto(merged[target]!, entry);
    } catch {
      hooks?.unreadable?.(item);
      continue;
    }
    let index: number;
    if (target !== undefined) {
      index = target;
      merged[target] = mergedEntry!;
      // A problem's onset is the earliest any system states: the merged entry may move back in time.
      if (group) sortKeys[target] = timeKey(merged[target]!.clinicalTime);
      hooks?.merged?.(merged[target]!, entry);
      const others = mergedResources[target];
      if (others) others.push(resource);
      else mergedResources[target] = [resource];
    } else {
      index = count++;
      merged[index] = entry;
      sortKeys[index] = t;
    }
    records.assign(slot, index);
    if (entry.kind === 'medication') {
      const reference = referencedMedication(resource as Parameters<typeof referencedMedication>[0]);
      if (reference) (byMedicationRef ??= []).push({ index, source, reference });
    }
    // Systems reference their records by logical id ("Observation/123"), which may differ from
    // the native id in the provenance (an HL7 v2 segment path), so both resolve.
    if (resource.id && !isLogicalId(provenance.nativeId, resource.resourceType, resource.id))
      records.set(source, `${resource.resourceType}/${resource.id}`, index);
  }
  merged.length = count;
  sortKeys.length = count;
  if (byMedicationRef && medications) nameReferencedDrugs(merged, byMedicationRef, medications);
  linkGroups(merged, mergedResources, records);
  return sortNewestFirst(merged, sortKeys);
}
