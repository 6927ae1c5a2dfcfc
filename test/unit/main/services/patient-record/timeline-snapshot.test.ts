import { afterEach, describe, expect, it } from 'vitest';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { openCacheStore, type CacheStore } from '../../../../../src/main/services/cache/index.ts';
import { buildTimeline } from '../../../../../src/main/services/timeline/build-timeline.ts';
import { PatientRecordCache, cacheKeyOf } from '../../../../../src/main/services/patient-record/index.ts';
import { FIRST_SCREEN_ENTRIES, firstScreenOf } from '../../../../../src/main/services/patient-record/timeline-snapshot-cache.ts';
import type { SourcePatientRef } from '../../../../../src/shared/domain/source.ts';
import type { TimelineEntry } from '../../../../../src/shared/domain/timeline.ts';
import { observation, patientResource, syntheticPatient, tempCacheDir, testProtector } from '../../../../support/cache-fixtures.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function store(): Promise<{ store: CacheStore; dir: string }> {
  const { dir, cleanup } = tempCacheDir('snapshot');
  const opened = await openCacheStore({ directory: dir, protector: testProtector() });
  cleanups.push(() => {
    opened.close();
    cleanup();
  });
  return { store: opened, dir };
}

const CDR: SourcePatientRef = { sourceId: 'cdr', sourcePatientId: 'CDR-1' };
const LIS: SourcePatientRef = { sourceId: 'lis', sourcePatientId: 'L-9' };
const person = syntheticPatient(3);

function entry(id: string, extra: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    id,
    kind: 'observation',
    title: id,
    codes: [],
    provenance: [{ sourceId: 'lis', sourceName: 'LIS', sourceKind: 'fhir', nativeId: id, fetchedAt: '2026-01-01T00:00:00Z' }],
    resource: { resourceType: 'Observation', status: 'final', code: { text: id } },
    ...extra,
  };
}

describe('firstScreenOf', () => {
  it('keeps a short timeline whole', () => {
    const entries = [entry('a'), entry('b')];
    expect(firstScreenOf(entries, 5)).toEqual(entries);
  });

  it('takes the newest entries plus the encounters and panels they point at, in timeline order', () => {
    const entries = [entry('r1', { panelId: 'p1', encounterId: 'e1' }), entry('r2'), entry('x'), entry('p1'), entry('y'), entry('e1')];
    expect(firstScreenOf(entries, 2).map((e) => e.id)).toEqual(['r1', 'r2', 'p1', 'e1']);
  });

  it('defaults to a few screens of rows', () => {
    const entries = Array.from({ length: FIRST_SCREEN_ENTRIES + 50 }, (_, i) => entry(`e${i}`));
    expect(firstScreenOf(entries)).toHaveLength(FIRST_SCREEN_ENTRIES);
  });
});

/** What the workstation does on a complete open: parts from the cache or the sources, then the timeline. */
async function openLikeTheWorkstation(cache: PatientRecordCache, live: Map<SourcePatientRef, SourcedResource[]>) {
  const parts = new Map<string, SourcedResource[]>();
  for (const [ref, records] of live) {
    await cache.write(ref, records, '2026-03-01T08:00:00.000Z');
    parts.set(cacheKeyOf(ref), records);
  }
  const entries = buildTimeline([...parts.values()].flat());
  return { parts, entries };
}

describe('PatientRecordCache: the saved first screen', () => {
  const cdrRecords = [patientResource(person, 'cdr'), ...Array.from({ length: 30 }, (_, i) => observation(i, 'cdr'))];
  const lisRecords = Array.from({ length: 30 }, (_, i) => observation(100 + i, 'lis'));
  const errors: string[] = [];
  const newCache = (s: CacheStore) => new PatientRecordCache(s, (what) => errors.push(what));
  afterEach(() => errors.splice(0));

  it('reads back on the next start what the last complete open saved', async () => {
    const { store: s, dir } = await store();
    const cache = newCache(s);
    const { parts, entries } = await openLikeTheWorkstation(
      cache,
      new Map([
        [CDR, cdrRecords],
        [LIS, lisRecords],
      ]),
    );
    expect(await cache.saveTimelineSnapshot([CDR, LIS], parts, entries)).toBe(true);

    s.close();
    const restarted = await openCacheStore({ directory: dir, protector: testProtector() });
    cleanups.push(() => restarted.close());
    const snapshot = await newCache(restarted).readTimelineSnapshot([LIS, CDR]);
    expect(snapshot?.totalEntries).toBe(entries.length);
    expect(snapshot?.entries).toEqual(firstScreenOf(entries));
    expect(snapshot?.syncedAt).toEqual({ [cacheKeyOf(CDR)]: '2026-03-01T08:00:00.000Z', [cacheKeyOf(LIS)]: '2026-03-01T08:00:00.000Z' });
    expect(errors).toEqual([]);
  });

  it('saves a timeline built from cached parts (an outage open) as well', async () => {
    const { store: s } = await store();
    const cache = newCache(s);
    await cache.write(CDR, cdrRecords, '2026-03-01T08:00:00.000Z');
    const part = await cache.read(CDR);
    const entries = buildTimeline(part!.records);
    expect(await cache.saveTimelineSnapshot([CDR], new Map([[cacheKeyOf(CDR), part!.records]]), entries)).toBe(true);
    expect((await cache.readTimelineSnapshot([CDR]))?.totalEntries).toBe(entries.length);
  });

  it('is ignored once a part changed in the cache (e.g. a result pushed over HL7)', async () => {
    const { store: s } = await store();
    const cache = newCache(s);
    const { parts, entries } = await openLikeTheWorkstation(
      cache,
      new Map([
        [CDR, cdrRecords],
        [LIS, lisRecords],
      ]),
    );
    await cache.saveTimelineSnapshot([CDR, LIS], parts, entries);
    await s.putRecords(cacheKeyOf(LIS), 'lis', [observation(999, 'lis')]);
    expect(await cache.readTimelineSnapshot([CDR, LIS])).toBeUndefined();
  });

  it('is not saved when a part changed between building and saving', async () => {
    const { store: s } = await store();
    const cache = newCache(s);
    const { parts, entries } = await openLikeTheWorkstation(cache, new Map([[CDR, cdrRecords]]));
    await s.putRecords(cacheKeyOf(CDR), 'cdr', [observation(999, 'cdr')]);
    expect(await cache.saveTimelineSnapshot([CDR], parts, entries)).toBe(false);
  });

  it('is not saved when a part never went through the cache (its write failed)', async () => {
    const { store: s } = await store();
    const cache = newCache(s);
    const { parts, entries } = await openLikeTheWorkstation(cache, new Map([[CDR, cdrRecords]]));
    parts.set(cacheKeyOf(LIS), [...lisRecords]);
    expect(await cache.saveTimelineSnapshot([CDR, LIS], parts, buildTimeline([...parts.values()].flat()))).toBe(false);
    expect(await cache.readTimelineSnapshot([CDR, LIS])).toBeUndefined();
    expect(entries.length).toBeGreaterThan(0);
  });

  it('belongs to exactly that set of system records', async () => {
    const { store: s } = await store();
    const cache = newCache(s);
    const { parts, entries } = await openLikeTheWorkstation(
      cache,
      new Map([
        [CDR, cdrRecords],
        [LIS, lisRecords],
      ]),
    );
    await cache.saveTimelineSnapshot([CDR, LIS], parts, entries);
    expect(await cache.readTimelineSnapshot([CDR])).toBeUndefined();
    expect(await cache.readTimelineSnapshot([])).toBeUndefined();
  });

  it('is crypto-shredded with any one of its system records', async () => {
    const { store: s } = await store();
    const cache = newCache(s);
    const { parts, entries } = await openLikeTheWorkstation(
      cache,
      new Map([
        [CDR, cdrRecords],
        [LIS, lisRecords],
      ]),
    );
    await cache.saveTimelineSnapshot([CDR, LIS], parts, entries);
    await s.purgePatient(cacheKeyOf(LIS));
    expect(await cache.readTimelineSnapshot([CDR, LIS])).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('reports a damaged snapshot and carries on without it', async () => {
    const { store: s } = await store();
    const cache = newCache(s);
    const { parts } = await openLikeTheWorkstation(cache, new Map([[CDR, cdrRecords]]));
    // Something that is not a first screen, stored under its name: a format change of ours.
    const revision = await s.revisionOf(cacheKeyOf(CDR));
    await s.putView('timeline-first-screen/v1', [{ patientKey: cacheKeyOf(CDR), revision }], { entries: 'no' });
    expect(await cache.readTimelineSnapshot([CDR])).toBeUndefined();
    expect(errors).toEqual(['reading the saved first screen of the timeline']);
    expect(parts.size).toBe(1);
  });

  it('reports a closed cache instead of throwing', async () => {
    const { store: s } = await store();
    const cache = newCache(s);
    const { parts, entries } = await openLikeTheWorkstation(cache, new Map([[CDR, cdrRecords]]));
    s.close();
    expect(await cache.saveTimelineSnapshot([CDR], parts, entries)).toBe(false);
    expect(await cache.readTimelineSnapshot([CDR])).toBeUndefined();
    expect(errors).toEqual(['saving the first screen of the timeline', 'reading the saved first screen of the timeline']);
  });
});
