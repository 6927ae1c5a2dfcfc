import { randomUUID } from 'node:crypto';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { composeWorkstation, type Workstation } from '../../src/main/composition/index.ts';
import { passphraseProtectorFromEnv } from '../../src/main/services/cache-setup/index.ts';
import type { HuizhenConfig } from '../../src/shared/config/schema.ts';
import type { PatientCandidate } from '../../src/shared/domain/patient.ts';
import type { SourcePatientRef } from '../../src/shared/domain/source.ts';
import { startFreezableHospital } from '../../test/support/outage-hospital.ts';
import type { BenchSuite, Figure } from '../measure.ts';
import { benchCacheDir, goalVerdict, median } from '../support/bench-cache.ts';

const RUNS = 3;
/** Deadlines as a ward would set them: a record fetch waits longer than an interactive search. */
const TIMEOUT_MS = 4_000;
const SEARCH_TIMEOUT_MS = 2_000;
const SEARCH_GOAL_MS = 300;
const FIRST_SCREEN_GOAL_MS = 200;

const isDemoPatient = (c: PatientCandidate) => c.refs.some((r) => r.sourceId === 'cdr' && r.sourcePatientId === DEMO_PATIENT.fhirId);

/** Like an app start: a fresh cache handle and workstation (and a fresh status board) on the same cache folder. */
async function startWorkstation(config: HuizhenConfig): Promise<Workstation> {
  const { workstation } = await composeWorkstation(config, { protector: () => passphraseProtectorFromEnv(config.cache!) });
  return workstation;
}

/** Until the demo patient is a candidate (a progress event or the answer, whichever first), and until the search settled. */
async function timeSearch(workstation: Workstation): Promise<{ candidatesMs: number; settledMs: number; refs: SourcePatientRef[] }> {
  const searchId = randomUUID();
  let candidatesMs: number | undefined;
  const started = performance.now();
  const unsubscribe = workstation.subscribe((event) => {
    if (event.type === 'search.progress' && event.searchId === searchId && event.candidates.some(isDemoPatient))
      candidatesMs ??= performance.now() - started;
  });
  try {
    const { candidates } = await workstation.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi, searchId });
    const settledMs = performance.now() - started;
    const found = candidates.find(isDemoPatient);
    if (!found) throw new Error(`${DEMO_PATIENT.nameHanzi} was not found`);
    return { candidatesMs: candidatesMs ?? settledMs, settledMs, refs: found.refs };
  } finally {
    unsubscribe();
  }
}

/** Until the first timeline event with entries, or the reply when none came first (the first screen), and until every source was settled. */
async function timeOpen(
  workstation: Workstation,
  refs: SourcePatientRef[],
): Promise<{ firstMs: number; settledMs: number; unsettled: number }> {
  const viewId = randomUUID();
  let firstMs: number | undefined;
  const started = performance.now();
  const unsubscribe = workstation.subscribe((event) => {
    if (event.type === 'timeline.updated' && event.viewId === viewId && event.entries.length > 0) firstMs ??= performance.now() - started;
  });
  try {
    const result = await workstation.handlers.openPatient({ refs, viewId });
    const settledMs = performance.now() - started;
    await workstation.handlers.closePatient({ viewId });
    if (result.entries.length === 0) throw new Error('the open resolved without timeline data');
    // Systems that all answer within one snapshot interval paint with the reply itself.
    return {
      firstMs: firstMs ?? settledMs,
      settledMs,
      unsettled: result.sources.filter((s) => s.state === 'loading' || s.state === 'idle').length,
    };
  } finally {
    unsubscribe();
  }
}

/**
 * Issue 17: with every system of the demo hospital frozen (SIGSTOP: connections are accepted,
 * nothing answers), a cached patient is found and opened from the encrypted cache at once; each
 * system is given up on at its own deadline. Baselines: the same search and open while the
 * systems answer.
 */
export const outageFigures: BenchSuite = {
  name: `outage: every system hung (SIGSTOP), cached patient (张伟); deadlines ${TIMEOUT_MS} ms, search ${SEARCH_TIMEOUT_MS} ms`,
  async run() {
    const hospital = await startFreezableHospital();
    const dir = benchCacheDir('outage');
    try {
      const base = dir.config(hospital.config);
      const config: HuizhenConfig = {
        ...base,
        sources: base.sources.map((s) => ({
          ...s,
          resilience: { ...s.resilience, timeoutMs: TIMEOUT_MS, searchTimeoutMs: SEARCH_TIMEOUT_MS, retries: 0 },
        })),
      };
      const longestDeadline = Math.max(...config.sources.map((s) => s.resilience.timeoutMs));

      // A day's work put the patient in the cache (with the bench's generous deadlines: a cold
      // demo hospital on a loaded machine may take longer than a ward's).
      const filler = await startWorkstation(base);
      const { refs } = await timeSearch(filler);
      await timeOpen(filler, refs);
      await filler.close();

      const live = { search: [] as number[], first: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        const workstation = await startWorkstation(config);
        live.search.push((await timeSearch(workstation)).settledMs);
        live.first.push((await timeOpen(workstation, refs)).firstMs);
        await workstation.close();
      }

      hospital.freeze();
      const hung = { search: [] as number[], searchSettled: [] as number[], first: [] as number[], settled: [] as number[], unsettled: 0 };
      for (let i = 0; i < RUNS; i++) {
        const workstation = await startWorkstation(config);
        const search = await timeSearch(workstation);
        hung.search.push(search.candidatesMs);
        hung.searchSettled.push(search.settledMs);
        const open = await timeOpen(workstation, refs);
        hung.first.push(open.firstMs);
        hung.settled.push(open.settledMs);
        hung.unsettled += open.unsettled;
        await workstation.close();
      }
      hospital.thaw();

      const searchMs = median(hung.search);
      const firstMs = median(hung.first);
      const settledMs = median(hung.settled);
      const figures: Figure[] = [
        {
          name: 'search, every system hung → the cached patient is a candidate',
          value: searchMs,
          unit: 'ms',
          baseline: { name: 'systems answering, search complete', value: median(live.search) },
          goal: goalVerdict(`< ${SEARCH_GOAL_MS} ms`, Math.max(...hung.search) < SEARCH_GOAL_MS),
        },
        {
          name: '  the same search settled (every system given up on)',
          value: median(hung.searchSettled),
          unit: 'ms',
          goal: `≈ the search deadline, ${SEARCH_TIMEOUT_MS} ms`,
        },
        {
          name: 'open, every system hung → first screen',
          value: firstMs,
          unit: 'ms',
          baseline: { name: 'systems answering, first screen', value: median(live.first) },
          goal: goalVerdict(`< ${FIRST_SCREEN_GOAL_MS} ms`, Math.max(...hung.first) < FIRST_SCREEN_GOAL_MS),
        },
        {
          name: `open, every system hung → settled (${hung.unsettled} sources left unsettled in ${RUNS} runs)`,
          value: settledMs,
          unit: 'ms',
          goal: goalVerdict(
            `< longest deadline + 100 = ${longestDeadline + 100} ms`,
            Math.max(...hung.settled) < longestDeadline + 100 && hung.unsettled === 0,
          ),
        },
      ];
      return figures;
    } finally {
      await hospital.stop();
      dir.remove();
    }
  },
};
