import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { createPassphraseKeyProtector, openCacheStore, type CacheStore } from '../../src/main/services/cache/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createWorkstation, type Workstation } from '../../src/main/composition/index.ts';
import { PatientRecordCache, cacheKeyOf } from '../../src/main/services/patient-record/index.ts';
import { FIRST_SCREEN_ENTRIES } from '../../src/main/services/patient-record/timeline-snapshot-cache.ts';
import type { SourcePatientRef } from '../../src/shared/domain/source.ts';
import type { TimelineEntry } from '../../src/shared/domain/timeline.ts';

/**
 * Issue 6's cached open, end to end: the first screen saved by a complete open is the first
 * thing the next open shows, before the cached records are decrypted; it is never shown once
 * the cache changed underneath it. Needs the workstation wiring of `readTimelineSnapshot` and
 * `saveTimelineSnapshot` (create-workstation.ts).
 */
let hospital: DemoHospital;
const cacheDir = mkdtempSync(join(tmpdir(), 'huizhen-first-screen-'));
let refs: SourcePatientRef[] = [];

const openCache = (): Promise<CacheStore> =>
  openCacheStore({ directory: cacheDir, protector: createPassphraseKeyProtector('first screen test', { log2Cost: 10 }) });

async function workstation(timeoutMs: number): Promise<Workstation> {
  const config = parseConfig({
    ...hospital.config,
    sources: hospital.config.sources.map((s) => ({ ...s, resilience: { timeoutMs, retries: 0 } })),
  });
  return createWorkstation(config, { cache: await openCache() });
}

const allFaults = () => [hospital.fhir.faults, hospital.his.faults, hospital.lis.faults, hospital.platform.faults];

/** Opens with every system hanging: what the cache alone shows, event by event. */
interface Row {
  /** A merged entry's id names whichever system's record came first, which varies with the order parts arrive in. */
  facts: string;
  time: string | undefined;
}
const rowOf = (e: TimelineEntry): Row => ({
  facts: e.provenance
    .map((p) => `${p.sourceId}:${p.nativeId}`)
    .sort()
    .join('|'),
  time: e.clinicalTime,
});

async function openOffline(): Promise<{ events: { rows: Row[]; complete: boolean }[]; final: Row[] }> {
  for (const faults of allFaults()) faults.set({ hang: true });
  const ws = await workstation(300);
  try {
    const events: { rows: Row[]; complete: boolean }[] = [];
    ws.subscribe((e) => {
      if (e.type === 'timeline.updated') events.push({ rows: e.entries.map(rowOf), complete: e.complete });
    });
    const opened = await ws.handlers.openPatient({ refs });
    return { events, final: opened.entries.map(rowOf) };
  } finally {
    for (const faults of allFaults()) faults.reset();
    await ws.close();
  }
}

beforeAll(async () => {
  // Enough extra results that the first screen is a strict part of the timeline.
  hospital = await startDemoHospital({ extraObservations: 150 });
});
afterAll(async () => {
  await hospital.stop();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('cached open: the saved first screen comes first', () => {
  it('a complete live open saves the first screen of its timeline', async () => {
    const ws = await workstation(5000);
    try {
      const { candidates } = await ws.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi });
      refs = candidates.find((c) => c.refs.some((r) => r.sourceId === 'cdr' && r.sourcePatientId === DEMO_PATIENT.fhirId))!.refs;
      const live = await ws.handlers.openPatient({ refs });
      expect(live.entries.length).toBeGreaterThan(FIRST_SCREEN_ENTRIES);
    } finally {
      await ws.close();
    }
  });

  it('the next open shows it first, then the whole cached record, then the same timeline as before', async () => {
    const { events, final } = await openOffline();
    const first = events[0]!;
    expect(first.complete).toBe(false);
    expect(first.rows.length).toBeGreaterThanOrEqual(FIRST_SCREEN_ENTRIES);
    expect(first.rows.length).toBeLessThan(final.length);
    // The newest rows, in the full timeline's order, each one a fact of the full timeline.
    const top = (rows: Row[]) => rows.slice(0, FIRST_SCREEN_ENTRIES).map((r) => r.time);
    expect(top(first.rows)).toEqual(top(final));
    const facts = new Set(final.map((r) => r.facts));
    expect(first.rows.filter((r) => !facts.has(r.facts))).toEqual([]);
    expect(events[1]!.rows).toHaveLength(final.length);
  });

  it('is not shown once a system record changed in the cache (e.g. a pushed result)', async () => {
    const cache = await openCache();
    const lis = refs.find((r) => r.sourceId === 'lis') ?? refs[0]!;
    await cache.putRecords(cacheKeyOf(lis), lis.sourceId, [
      {
        resource: {
          resourceType: 'Observation',
          id: 'pushed-1',
          status: 'final',
          code: { text: 'K' },
          effectiveDateTime: '2030-01-01T00:00:00Z',
        },
        provenance: {
          sourceId: lis.sourceId,
          sourceName: lis.sourceId,
          sourceKind: 'hl7v2',
          nativeId: 'pushed-1',
          fetchedAt: '2030-01-01T00:00:00Z',
        },
      },
    ]);
    cache.close();
    const { events, final } = await openOffline();
    // No stale preview: the first paint is the whole cached record, with the pushed result on top.
    expect(events[0]!.rows).toHaveLength(final.length);
    expect(final[0]!.facts).toContain('pushed-1');
  });

  it('is gone with a purge of any of its system records', async () => {
    // The previous open (all systems down) saved a new first screen from the cache.
    const cache = await openCache();
    const records = new PatientRecordCache(cache, (what) => {
      throw new Error(what);
    });
    expect(await records.readTimelineSnapshot(refs)).toBeDefined();
    expect(await cache.purgePatient(cacheKeyOf(refs[0]!))).toBe(true);
    expect(await records.readTimelineSnapshot(refs)).toBeUndefined();
    cache.close();
    const { events, final } = await openOffline();
    expect(events[0]?.rows.length ?? 0).toBe(final.length);
  });
});
