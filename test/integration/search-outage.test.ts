import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { createPassphraseKeyProtector, openCacheStore } from '../../src/main/services/cache/index.ts';
import { createWorkstation, type Workstation } from '../../src/main/composition/index.ts';
import type { ApiEvent } from '../../src/shared/api/events.ts';
import type { PatientCandidate } from '../../src/shared/domain/patient.ts';
import { DEMO_PASSWORD, demoLocalAccounts } from '../../src/demo-hospital/identity-provider/index.ts';
import { createPrivacyMasking } from '../../src/main/services/privacy/index.ts';
import { createRolePolicy } from '../../src/main/services/access/role-policy.ts';
import { createSecuredApi } from '../../src/main/services/access/secured-api.ts';
import { createLocalSignIn } from '../../src/main/services/auth/local-accounts.ts';
import { AccessConfigSchema } from '../../src/shared/config/access.ts';
import { DEFAULT_PRIVACY_CONFIG } from '../../src/shared/config/privacy.ts';
import { startFreezableHospital, type FreezableHospital } from '../support/outage-hospital.ts';

/** Each system's own search deadline: long enough that "before it" is unmistakable on a loaded machine. */
const SEARCH_DEADLINE_MS = 6_000;

let hospital: FreezableHospital;
const cacheDir = mkdtempSync(join(tmpdir(), 'huizhen-search-outage-'));

async function workstation(): Promise<Workstation> {
  const config = {
    ...hospital.config,
    sources: hospital.config.sources.map((s) => ({
      ...s,
      resilience: { ...s.resilience, timeoutMs: SEARCH_DEADLINE_MS, searchTimeoutMs: SEARCH_DEADLINE_MS, retries: 0 },
    })),
  };
  const cache = await openCacheStore({
    directory: cacheDir,
    protector: createPassphraseKeyProtector('search outage test passphrase', { log2Cost: 12 }),
  });
  return createWorkstation(config, { cache });
}

const isDemoPatient = (c: { refs: readonly { sourceId: string; sourcePatientId: string }[] }) =>
  c.refs.some((r) => r.sourceId === 'cdr' && r.sourcePatientId === DEMO_PATIENT.fhirId);

let liveCandidates: PatientCandidate[] = [];

beforeAll(async () => {
  hospital = await startFreezableHospital();
  // A live search and open put the patient in the cache, as a day's work does.
  const ws = await workstation();
  try {
    const { candidates } = await ws.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi });
    liveCandidates = candidates;
    await ws.handlers.openPatient({ refs: candidates.find(isDemoPatient)!.refs });
  } finally {
    await ws.close();
  }
});
afterAll(async () => hospital.stop());

describe('search during an outage: cache first, never waiting on a hung system (demo hospital frozen by SIGSTOP)', () => {
  it("the cached patient is a candidate before any system's deadline; the systems still asked are named; it settles at the deadline", async () => {
    const ws = await workstation();
    hospital.freeze();
    try {
      const searchId = randomUUID();
      const progress: { ms: number; event: Extract<ApiEvent, { type: 'search.progress' }> }[] = [];
      const started = performance.now();
      ws.subscribe((event) => {
        if (event.type === 'search.progress' && event.searchId === searchId) progress.push({ ms: performance.now() - started, event });
      });
      const result = await ws.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi, searchId });
      const settledMs = performance.now() - started;

      const first = progress.find((p) => p.event.candidates.some(isDemoPatient));
      expect(first, 'a progress event carried the cached patient').toBeDefined();
      expect(first!.ms).toBeLessThan(SEARCH_DEADLINE_MS);
      // Every system asked was still pending when the cache answered: nothing had come back.
      expect(first!.event.pending).toContain('cdr');
      expect(first!.event.pending).toContain('his');
      // Then each hung system was given up on at its own deadline, not one after another.
      expect(settledMs).toBeGreaterThanOrEqual(SEARCH_DEADLINE_MS - 50);
      expect(settledMs).toBeLessThan(SEARCH_DEADLINE_MS * 2);
      expect(progress.at(-1)!.event.pending).toEqual([]);
      expect(result.candidates.some(isDemoPatient)).toBe(true);
      for (const id of first!.event.pending) expect(result.sources.find((s) => s.sourceId === id)?.state).toBe('failed');
      // Settled, the patient is still marked as the cache's, with when each part was fetched.
      const cached = result.candidates.find(isDemoPatient)!.cached ?? [];
      expect(cached.map((c) => c.sourceId)).toContain('cdr');
      expect(cached.map((c) => c.sourceId)).toEqual(first!.event.candidates.find(isDemoPatient)!.cached?.map((c) => c.sourceId));
      for (const c of cached) expect(Date.parse(c.fetchedAt)).toBeLessThanOrEqual(Date.now());
    } finally {
      hospital.thaw();
      await ws.close();
    }
  });
});

describe('search with the systems answering', () => {
  it('marks no candidate as coming from the cache', () => {
    expect(liveCandidates.some(isDemoPatient)).toBe(true);
    expect(liveCandidates.filter((c) => c.cached !== undefined)).toEqual([]);
  });
});

describe('search progress through the access layer', () => {
  it('streams only to the search that named it, masked as the session requires (privacy mode)', async () => {
    const core = await workstation();
    const signIn = createLocalSignIn(demoLocalAccounts());
    const api = createSecuredApi({
      core,
      methods: { local: (u, p) => signIn.signIn(u, p) },
      idleLockMinutes: 10,
      sessionMaxHours: 12,
      policy: createRolePolicy(),
      access: AccessConfigSchema.parse({ careWindowDays: 3650 }),
      audit: async () => {},
      masking: createPrivacyMasking(DEFAULT_PRIVACY_CONFIG),
    });
    hospital.freeze();
    try {
      await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
      await api.handlers.setPrivacyMode({ enabled: true });
      const events: ApiEvent[] = [];
      api.subscribe((event) => events.push(event));
      const searchId = randomUUID();
      const stranger = randomUUID();
      // A progress event for a search the access layer never admitted is not passed on.
      await Promise.all([
        api.handlers.searchPatients({ query: DEMO_PATIENT.mrn, searchId }),
        core.handlers.searchPatients({ query: DEMO_PATIENT.mrn, searchId: stranger }),
      ]);
      const progress = events.filter((e) => e.type === 'search.progress');
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.every((e) => e.searchId === searchId)).toBe(true);
      const shown = JSON.stringify(progress);
      expect(shown).not.toContain(DEMO_PATIENT.nameHanzi);
      expect(shown).not.toContain(DEMO_PATIENT.residentId);
      expect(shown).toContain('张*');
    } finally {
      hospital.thaw();
      api.close();
      await core.close();
    }
  });
});
