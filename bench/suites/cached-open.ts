import { randomUUID } from 'node:crypto';
import { startDemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import type { SourcePatientRef } from '../../src/shared/domain/source.ts';
import { openConfiguredCache, passphraseProtectorFromEnv } from '../../src/main/services/workstation/open-cache.ts';
import { PatientRecordCache } from '../../src/main/services/workstation/patient-record-cache.ts';
import { buildTimeline } from '../../src/main/services/timeline/build-timeline.ts';
import { composeWorkstation } from '../../src/main/services/workstation/compose-workstation.ts';
import { createWorkstation, type Workstation } from '../../src/main/services/workstation/create-workstation.ts';
import type { HuizhenConfig } from '../../src/shared/config/schema.ts';
import type { BenchSuite, Figure } from '../measure.ts';
import { benchCacheDir, goalVerdict, median } from '../support/bench-cache.ts';

const EXTRA = 10_000;
const RUNS = 3;
const GOAL_MS = 100;

interface OpenTiming {
  /** Until the first 'timeline.updated' event: the first data a renderer could paint. */
  firstMs: number;
  firstEntries: number;
  /** Until openPatient resolved: every system answered (and, with a cache, the cache was rewritten). */
  completeMs: number;
  completeEntries: number;
}

/**
 * Opens one patient and times its first timeline event with entries (an empty first answer is
 * no data to paint) and its completion. `closeAtFirstData` closes the patient there, which
 * aborts the live revalidation: the cached runs need only their first paint.
 */
async function timeOpen(workstation: Workstation, refs: SourcePatientRef[], closeAtFirstData = false): Promise<OpenTiming> {
  let first: { ms: number; entries: number } | undefined;
  const openId = randomUUID();
  const started = performance.now();
  const unsubscribe = workstation.subscribe((event) => {
    if (event.type !== 'timeline.updated' || first || event.entries.length === 0) return;
    first = { ms: performance.now() - started, entries: event.entries.length };
    if (closeAtFirstData) void workstation.handlers.closePatient({ openId });
  });
  try {
    const result = await workstation.handlers.openPatient({ refs, openId });
    const completeMs = performance.now() - started;
    await workstation.handlers.closePatient({ openId });
    if (!first) throw new Error('openPatient resolved without timeline data');
    return { firstMs: first.ms, firstEntries: first.entries, completeMs, completeEntries: result.entries.length };
  } finally {
    unsubscribe();
  }
}

/** Where a cached first paint spends its time: decrypting the parts, then merging them. */
async function breakdown(config: HuizhenConfig, refs: SourcePatientRef[]): Promise<{ readMs: number; buildMs: number; records: number }> {
  const store = await openConfiguredCache(config.cache, () => passphraseProtectorFromEnv(config.cache!));
  if (!store) throw new Error('the bench config has no cache');
  try {
    const cache = new PatientRecordCache(store, (what) => {
      throw new Error(what);
    });
    const t0 = performance.now();
    const parts = await Promise.all(refs.map((ref) => cache.read(ref)));
    const readMs = performance.now() - t0;
    const records = parts.flatMap((p) => p?.records ?? []);
    const t1 = performance.now();
    buildTimeline(records);
    return { readMs, buildMs: performance.now() - t1, records: records.length };
  } finally {
    store.close();
  }
}

/** Like an app start: a fresh cache handle and workstation on the same cache folder. */
async function cachedWorkstation(config: HuizhenConfig): Promise<Workstation> {
  const { workstation } = await composeWorkstation(config, { protector: () => passphraseProtectorFromEnv(config.cache!) });
  return workstation;
}

/**
 * Issue 6: a previously opened 10,000-entry patient paints from the encrypted cache before any
 * system answers. Each cached run restarts the workstation (new cache handle, data key
 * unwrapped again) after a first live open filled the cache; the baseline opens the same
 * patient with no cache, so its first data is whichever system answers first.
 */
export const cachedOpen: BenchSuite = {
  name: `cache-first open: ${EXTRA.toLocaleString('en')}-entry patient (张伟), encrypted cache vs live fetch`,
  async run() {
    const hospital = await startDemoHospital({ extraObservations: EXTRA });
    const dir = benchCacheDir('cached-open');
    try {
      const config = dir.config(hospital.config);
      const { cache: _cache, ...withoutCache } = config;
      const live = await createWorkstation({ ...withoutCache });
      const search = await live.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi });
      const candidate = search.candidates.find((c) => c.refs.some((r) => r.sourceId === 'cdr' && r.sourcePatientId === DEMO_PATIENT.fhirId));
      if (!candidate) throw new Error(`${DEMO_PATIENT.nameHanzi} not found across the demo systems`);
      const refs = candidate.refs;

      const fresh: OpenTiming[] = [];
      for (let i = 0; i < RUNS; i++) fresh.push(await timeOpen(live, refs));
      await live.close();

      const filler = await cachedWorkstation(config);
      const filled = await timeOpen(filler, refs);
      await filler.close();

      const cached: OpenTiming[] = [];
      for (let i = 0; i < RUNS; i++) {
        const workstation = await cachedWorkstation(config);
        cached.push(await timeOpen(workstation, refs, true));
        await workstation.close();
      }

      const split = await breakdown(config, refs);
      const cachedFirst = median(cached.map((t) => t.firstMs));
      const freshFirst = median(fresh.map((t) => t.firstMs));
      const freshComplete = median(fresh.map((t) => t.completeMs));
      const entries = cached[0]!.firstEntries;
      const figures: Figure[] = [
        {
          name: `cached open → first timeline data (${entries.toLocaleString('en')} entries, ${refs.length} systems)`,
          value: cachedFirst,
          unit: 'ms',
          baseline: { name: 'live, first system to answer', value: freshFirst },
          goal: goalVerdict(`< ${GOAL_MS} ms`, cachedFirst < GOAL_MS),
        },
        {
          name: `  same, vs the live ${fresh[0]!.completeEntries.toLocaleString('en')}-entry timeline complete`,
          value: cachedFirst,
          unit: 'ms',
          baseline: { name: 'live, every system answered', value: freshComplete },
        },
        {
          name: `  entries in the first data event (live: ${fresh[0]!.firstEntries.toLocaleString('en')})`,
          value: entries,
          unit: 'entries',
        },
        { name: `  of which: read + decrypt + validate ${split.records.toLocaleString('en')} cached records`, value: split.readMs, unit: 'ms' },
        { name: `  of which: merge them into the timeline (buildTimeline)`, value: split.buildMs, unit: 'ms' },
        { name: 'first open with an empty cache → complete (fetch + encrypt + write)', value: filled.completeMs, unit: 'ms', baseline: { name: 'live, no cache', value: freshComplete }, lowerIsBetter: false },
      ];
      return figures;
    } finally {
      await hospital.stop();
      dir.remove();
    }
  },
};
