import type { Patient } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { CacheStore } from '../cache/index.ts';
import { nationalIdValues } from '../identity/index.ts';
import { cacheKeyOf } from './cache-key.ts';
import { TimelineSnapshotCache, type SnapshotPart, type TimelineSnapshot } from './timeline-snapshot-cache.ts';

export interface CachedPart {
  records: SourcedResource[];
  syncedAt: string;
}

/** Identifier values and names a clinician may search by while the systems are down. */
function searchableValues(records: readonly SourcedResource[]): string[] {
  const values = new Set<string>();
  for (const { resource } of records) {
    if (resource.resourceType !== 'Patient') continue;
    const patient = resource as Patient;
    for (const id of patient.identifier ?? []) if (id.value) values.add(id.value);
    for (const name of patient.name ?? []) {
      if (name.text) values.add(name.text);
      const joined = `${name.family ?? ''}${(name.given ?? []).join('')}`;
      if (joined) values.add(joined);
      const spaced = [...(name.given ?? []), name.family].filter(Boolean).join(' ');
      if (spaced) values.add(spaced);
      const familyFirst = [name.family, ...(name.given ?? [])].filter(Boolean).join(' ');
      if (familyFirst) values.add(familyFirst);
    }
  }
  return [...values];
}

const uniqueKeys = (refs: readonly SourcePatientRef[]): string[] => [...new Set(refs.map(cacheKeyOf))];

/**
 * The workstation's view of the encrypted cache: per system record, what was fetched last and
 * when. Write failures (a full disk) never fail the clinician's request; they are reported.
 */
export class PatientRecordCache {
  private async patientsOf(keys: Iterable<string>): Promise<SourcedResource<Patient>[]> {
    const found = await Promise.all([...keys].map((k) => this.store.getRecords(k)));
    return found.flatMap((f) => f.records.filter((r): r is SourcedResource<Patient> => r.resource.resourceType === 'Patient'));
  }

  private readonly store: CacheStore;
  private readonly onError: (what: string, error: unknown) => void;
  private readonly snapshots: TimelineSnapshotCache;
  /**
   * Which cache revision each records array handed out (read) or taken in (written) is, so a
   * timeline built from those arrays can say exactly what it was derived from.
   */
  private readonly origins = new WeakMap<readonly SourcedResource[], { revision: string | undefined; syncedAt: string }>();

  constructor(store: CacheStore, onError: (what: string, error: unknown) => void) {
    this.store = store;
    this.onError = onError;
    this.snapshots = new TimelineSnapshotCache(store);
  }

  async read(ref: SourcePatientRef): Promise<CachedPart | undefined> {
    const key = cacheKeyOf(ref);
    try {
      if (!(await this.store.hasPatient(key))) return undefined;
      const [{ records, failures, revision }, sync] = await Promise.all([
        this.store.getRecords(key, { sourceId: ref.sourceId }),
        this.store.getSyncState(key),
      ]);
      for (const f of failures) this.onError(`cached ${f.resourceType} of ${ref.sourceId} unreadable`, f.error);
      if (records.length === 0) return undefined;
      // Records pushed over MLLP have no sync state: they are "as of" when they arrived.
      const syncedAt =
        sync[ref.sourceId]?.syncedAt ??
        records
          .map((r) => r.provenance.fetchedAt)
          .sort()
          .at(-1)!;
      await this.store.touch(key);
      this.origins.set(records, { revision, syncedAt });
      return { records, syncedAt };
    } catch (error) {
      this.onError(`reading the cache for ${ref.sourceId}`, error);
      return undefined;
    }
  }

  /**
   * What an earlier, permitted open left of this record's care context (encounters, imaging
   * studies), for the access decision when its system cannot answer now. Read only: it does not
   * count as opening the patient (no touch, so retention runs as before).
   */
  async readCareContext(ref: SourcePatientRef, types: ReadonlySet<string>): Promise<SourcedResource[]> {
    const key = cacheKeyOf(ref);
    try {
      if (!(await this.store.hasPatient(key))) return [];
      const { records } = await this.store.getRecords(key, { sourceId: ref.sourceId });
      return records.filter((r) => types.has(r.resource.resourceType));
    } catch (error) {
      this.onError(`reading the cached care context of ${ref.sourceId}`, error);
      return [];
    }
  }

  /**
   * `replace` drops cached records the source no longer returned; it is off for sources that
   * also push (inbound HL7), whose pushed records a query may not return.
   */
  async write(ref: SourcePatientRef, records: readonly SourcedResource[], syncedAt: string, replace = true): Promise<void> {
    const key = cacheKeyOf(ref);
    try {
      const revision = await this.store.putRecords(key, ref.sourceId, records, { replace, syncState: { syncedAt } });
      this.origins.set(records, { revision, syncedAt });
      await this.store.indexIdentifiers(key, searchableValues(records));
    } catch (error) {
      this.onError(`caching ${records.length} records of ${ref.sourceId}`, error);
    }
  }

  /**
   * The first screen of the timeline saved by the last complete open of exactly these system
   * records, if none of them changed in the cache since; undefined otherwise (or unreadable).
   */
  async readTimelineSnapshot(refs: readonly SourcePatientRef[]): Promise<TimelineSnapshot | undefined> {
    try {
      return await this.snapshots.read(uniqueKeys(refs));
    } catch (error) {
      this.onError('reading the saved first screen of the timeline', error);
      return undefined;
    }
  }

  /**
   * Saves the first screen of `entries`, the timeline built from `parts` (cache key → the
   * records arrays this cache handed out by `read` or took in by `write`). Saves nothing when a
   * part did not come through this cache (e.g. its write failed) or changed in the cache since:
   * the next open must never show a first screen the cache does not back.
   */
  async saveTimelineSnapshot(
    refs: readonly SourcePatientRef[],
    parts: ReadonlyMap<string, readonly SourcedResource[]>,
    entries: readonly TimelineEntry[],
  ): Promise<boolean> {
    const members: SnapshotPart[] = [];
    for (const cacheKey of uniqueKeys(refs)) {
      const records = parts.get(cacheKey);
      if (records === undefined) {
        members.push({ cacheKey, revision: undefined });
        continue;
      }
      const origin = this.origins.get(records);
      if (!origin) return false;
      members.push({ cacheKey, ...origin });
    }
    try {
      return await this.snapshots.save(members, entries);
    } catch (error) {
      this.onError('saving the first screen of the timeline', error);
      return false;
    }
  }

  /**
   * Cached Patient resources whose identifiers or names equal `query` (blind index: exact
   * match), plus the other systems' cached records of the same person found through their
   * national ID — so one system's MRN still gathers the whole cached record offline.
   */
  async findPatients(query: string): Promise<SourcedResource<Patient>[]> {
    try {
      const keys = new Set(await this.store.findPatientsByIdentifier(query));
      const patients = await this.patientsOf(keys);
      const nationalIds = patients.flatMap((p) => nationalIdValues(p.resource));
      const more = new Set<string>();
      for (const id of new Set(nationalIds)) for (const k of await this.store.findPatientsByIdentifier(id)) if (!keys.has(k)) more.add(k);
      return [...patients, ...(await this.patientsOf(more))];
    } catch (error) {
      this.onError('searching the cache', error);
      return [];
    }
  }
}
