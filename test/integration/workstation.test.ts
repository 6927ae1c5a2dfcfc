import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../src/shared/api/events.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { timeKey } from '../../src/main/services/timeline/clinical-time.ts';
import { createWorkstation, type Workstation } from '../../src/main/composition/index.ts';

let hospital: DemoHospital;
let workstation: Workstation;

beforeAll(async () => {
  hospital = await startDemoHospital();
  workstation = await createWorkstation(parseConfig(hospital.config));
});
afterAll(async () => {
  await workstation.close();
  await hospital.stop();
});

describe('workstation against the demo hospital (real FHIR over loopback)', () => {
  it('finds the demo patient by Chinese name, pinyin, MRN and 身份证', async () => {
    for (const query of [DEMO_PATIENT.nameHanzi, DEMO_PATIENT.namePinyin, DEMO_PATIENT.mrn, DEMO_PATIENT.residentId]) {
      const { candidates, sources } = await workstation.handlers.searchPatients({ query });
      const match = candidates.find((c) => c.refs.some((r) => r.sourcePatientId === DEMO_PATIENT.fhirId));
      expect(match, `query ${query}`).toBeDefined();
      expect(match!.displayName).toBe('张伟');
      expect(match!.identifiers.map((i) => i.value)).toEqual(expect.arrayContaining([DEMO_PATIENT.mrn, DEMO_PATIENT.residentId]));
      expect(sources.find((s) => s.sourceId === 'cdr')?.state).toMatch(/ok|slow/);
    }
  });

  it('opens the patient: entries stream as the source answers, newest first, each with its provenance', async () => {
    const events: ApiEvent[] = [];
    const unsubscribe = workstation.subscribe((e) => events.push(e));
    const result = await workstation.handlers.openPatient({ refs: [{ sourceId: 'cdr', sourcePatientId: DEMO_PATIENT.fhirId }] });
    unsubscribe();

    expect(result.entries.length).toBeGreaterThan(20);
    const kinds = new Set(result.entries.map((e) => e.kind));
    for (const kind of ['encounter', 'condition', 'observation']) expect(kinds).toContain(kind);
    const times = result.entries.map((e) => timeKey(e.clinicalTime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const entry of result.entries) {
      expect(entry.provenance[0]).toMatchObject({ sourceId: 'cdr', sourceKind: 'fhir', sourceName: 'CDR (FHIR R4)' });
      expect(entry.provenance[0]!.nativeId).toMatch(/^[A-Za-z]+\/.+/);
    }
    const updates = events.filter(
      (e): e is Extract<ApiEvent, { type: 'timeline.updated' }> => e.type === 'timeline.updated' && e.viewId === result.viewId,
    );
    // Partial snapshots stream first (the reply is the final one); each holds part of the record.
    expect(updates.length).toBeGreaterThan(0);
    for (const u of updates) {
      expect(u.complete).toBe(false);
      expect(u.entries.length).toBeLessThanOrEqual(result.entries.length);
    }
    expect(events.some((e) => e.type === 'source.status' && e.status.state === 'loading')).toBe(true);
    expect(result.sources[0]).toMatchObject({ sourceId: 'cdr', state: 'ok', entryCount: expect.any(Number) });
  });

  it('keeps working when the source hangs: the deadline cuts it and the status says why', async () => {
    const config = parseConfig({
      sources: [{ id: 'cdr', name: 'CDR', kind: 'fhir', baseUrl: hospital.fhirBaseUrl, resilience: { timeoutMs: 300, retries: 0 } }],
    });
    const hung = await createWorkstation(config);
    hospital.fhir.faults.set({ hang: true });
    try {
      const started = Date.now();
      const result = await hung.handlers.openPatient({ refs: [{ sourceId: 'cdr', sourcePatientId: DEMO_PATIENT.fhirId }] });
      // The hang never ends: any answer at all is the 300 ms deadline's (bounded generously for a busy machine).
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(result.entries).toEqual([]);
      expect(result.sources[0]).toMatchObject({ state: 'failed', error: { code: 'timeout' } });
    } finally {
      hospital.fhir.faults.reset();
      await hung.close();
    }
  });

  it('closing the patient cancels its requests in flight', async () => {
    // The CDR answers only after a minute: an answer within half of that is the cancel's, however busy the machine.
    hospital.fhir.faults.set({ delayMs: 60_000 });
    try {
      const viewId = crypto.randomUUID();
      const started = Date.now();
      const opening = workstation.handlers.openPatient({ refs: [{ sourceId: 'cdr', sourcePatientId: DEMO_PATIENT.fhirId }], viewId });
      await new Promise((r) => setTimeout(r, 100));
      expect(await workstation.handlers.closePatient({ viewId })).toEqual({ closed: true });
      const result = await opening;
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(result.sources[0]).toMatchObject({ state: 'failed', error: { code: 'aborted' } });
    } finally {
      hospital.fhir.faults.reset();
    }
  });

  it('pauses a failing source (circuit open) so repeated opens do not hammer it, and says so', async () => {
    const config = parseConfig({
      sources: [
        {
          id: 'cdr',
          name: 'CDR',
          kind: 'fhir',
          baseUrl: hospital.fhirBaseUrl,
          resilience: { timeoutMs: 2000, retries: 0, circuitBreaker: { failureThreshold: 2, resetMs: 60_000 } },
        },
      ],
    });
    const fragile = await createWorkstation(config);
    hospital.fhir.faults.set({ errorRate: 1, errorStatus: 503 });
    try {
      const refs = [{ sourceId: 'cdr', sourcePatientId: DEMO_PATIENT.fhirId }];
      for (let i = 0; i < 2; i++) {
        const failed = await fragile.handlers.openPatient({ refs });
        expect(failed.sources[0]).toMatchObject({ state: 'failed', error: { code: 'server-error' } });
      }
      const before = hospital.fhir.requests.length;
      const paused = await fragile.handlers.openPatient({ refs });
      expect(paused.sources[0]).toMatchObject({ state: 'circuit-open', error: { code: 'circuit-open' } });
      expect(hospital.fhir.requests.length).toBe(before);
    } finally {
      hospital.fhir.faults.reset();
      await fragile.close();
    }
  });
});
