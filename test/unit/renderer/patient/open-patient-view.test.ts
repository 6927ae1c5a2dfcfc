import { describe, expect, it, vi } from 'vitest';
import { newViewId, OpenPatientView } from '../../../../src/renderer/patient/open-patient-view.ts';
import { apiContract, type ApiResponse } from '../../../../src/shared/api/contract.ts';
import type { ApiEvent } from '../../../../src/shared/api/events.ts';
import type { PatientCandidate } from '../../../../src/shared/domain/patient.ts';
import type { TimelineEntry } from '../../../../src/shared/domain/timeline.ts';

function candidate(key: string, sourceIds: string[]): PatientCandidate {
  return {
    key,
    displayName: key,
    otherNames: [],
    identifiers: [],
    refs: sourceIds.map((sourceId) => ({ sourceId, sourcePatientId: `${key}@${sourceId}` })),
    link: { outcome: 'single', reasons: [] },
  };
}
function entry(id: string, sourceId: string): TimelineEntry {
  return {
    id,
    kind: 'observation',
    title: id,
    codes: [],
    provenance: [{ sourceId, sourceName: sourceId, sourceKind: 'fhir', nativeId: id, fetchedAt: '2024-01-01T00:00:00Z' }],
    resource: { resourceType: 'Observation' } as TimelineEntry['resource'],
  };
}
const snapshot = (viewId: string, entries: TimelineEntry[]): ApiEvent => ({
  type: 'timeline.updated',
  viewId,
  entries,
  sources: [],
  complete: false,
});

function fakeApi() {
  const pending: { resolve(r: ApiResponse<'openPatient'>): void; reject(e: unknown): void }[] = [];
  const api = {
    openPatient: vi.fn(
      (_request: { refs: unknown[]; viewId?: string }) =>
        new Promise<ApiResponse<'openPatient'>>((resolve, reject) => {
          pending.push({ resolve, reject });
        }),
    ),
    closePatient: vi.fn(async (_request: { viewId: string }) => ({ closed: true })),
  };
  let n = 0;
  const session = new OpenPatientView(api, () => `o${++n}`);
  return { api, pending, session };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

const ACCESS = { basis: 'ward' as const, withheldTypes: [], masked: false, maskLevel: 'none' as const };

describe('OpenPatientView', () => {
  it('keeps the findings about the patient’s own records (openPatient.quality) for the banner, through later complete snapshots', async () => {
    const { pending, session: s } = fakeApi();
    s.open(candidate('A', ['cdr']));
    const quality = [
      {
        code: 'invalid-identifier' as const,
        severity: 'error' as const,
        sourceId: 'cdr',
        resourceType: 'Patient',
        field: 'Patient.identifier',
        params: { kind: 'resident-id', problem: 'check-digit' },
      },
    ];
    pending[0]!.resolve({ viewId: 'o1', entries: [entry('e1', 'cdr')], sources: [], access: ACCESS, quality });
    await tick();
    expect(s.get().quality).toEqual(quality);
    s.handleEvent({ ...snapshot('o1', [entry('e1', 'cdr'), entry('e2', 'cdr')]), complete: true } as ApiEvent);
    expect(s.get()).toMatchObject({ entries: [{ id: 'e1' }, { id: 'e2' }], quality });
  });

  it('sends its own viewId, shows that open’s snapshots, then the response as final', async () => {
    const { api, pending, session: s } = fakeApi();
    s.open(candidate('A', ['his', 'lis']));
    expect(api.openPatient.mock.calls[0]![0]).toMatchObject({ viewId: 'o1' });
    expect(s.get()).toMatchObject({ phase: 'opening', viewId: 'o1' });
    s.handleEvent(snapshot('someone-else', [entry('x', 'his')]));
    expect(s.get().entries).toHaveLength(0);
    s.handleEvent(snapshot('o1', [entry('e1', 'his')]));
    expect(s.get().entries).toHaveLength(1);
    pending[0]!.resolve({ viewId: 'o1', entries: [entry('e1', 'his'), entry('e2', 'lis')], sources: [], access: ACCESS });
    await tick();
    expect(s.get()).toMatchObject({ phase: 'open', viewId: 'o1' });
    // A late intermediate snapshot never regresses the final one.
    s.handleEvent(snapshot('o1', [entry('e1', 'his')]));
    expect(s.get().entries).toHaveLength(2);
    // A later complete snapshot is news (e.g. a result the LIS pushed) and replaces it.
    s.handleEvent({ ...snapshot('o1', [entry('e1', 'his'), entry('e2', 'lis'), entry('e3', 'lis')]), complete: true } as ApiEvent);
    expect(s.get()).toMatchObject({ phase: 'open' });
    expect(s.get().entries).toHaveLength(3);
  });

  it('closes the previous open mid-load when switching and ignores what it still sends', async () => {
    const { api, pending, session: s } = fakeApi();
    s.open(candidate('A', ['his']));
    s.open(candidate('B', ['his']));
    expect(api.closePatient).toHaveBeenCalledWith({ viewId: 'o1' });
    s.handleEvent(snapshot('o1', [entry('a1', 'his')]));
    expect(s.get()).toMatchObject({ viewId: 'o2', entries: [] });
    expect(s.get().candidate?.key).toBe('B');
    pending[0]!.resolve({ viewId: 'o1', entries: [entry('a1', 'his')], sources: [], access: ACCESS });
    await tick();
    expect(s.get()).toMatchObject({ phase: 'opening', viewId: 'o2', entries: [] });
    pending[1]!.resolve({ viewId: 'o2', entries: [entry('b1', 'his')], sources: [], access: ACCESS });
    await tick();
    s.close();
    expect(api.closePatient).toHaveBeenLastCalledWith({ viewId: 'o2' });
    expect(s.get().phase).toBe('idle');
  });

  it('reports a failed open', async () => {
    const { pending, session: s } = fakeApi();
    s.open(candidate('A', ['his']));
    pending[0]!.reject(new Error('openPatient failed; see the workstation log'));
    await tick();
    expect(s.get()).toMatchObject({ phase: 'failed', error: 'openPatient failed; see the workstation log' });
  });

  it('makes viewIds the contract accepts', () => {
    const id = newViewId();
    expect(apiContract.openPatient.request.safeParse({ refs: [{ sourceId: 'a', sourcePatientId: 'b' }], viewId: id }).success).toBe(true);
  });
});

describe('OpenPatientView when privacy mode switches (main re-masks the open patient)', () => {
  const FULL = { ...ACCESS, masked: true, maskLevel: 'full' as const };
  const masked = (c: PatientCandidate): PatientCandidate => ({ ...c, displayName: `${c.displayName[0]}*` });
  const remasked = (viewId: string, entries: TimelineEntry[], c?: PatientCandidate): ApiEvent => ({
    type: 'patient.remasked',
    viewId,
    entries,
    access: FULL,
    ...(c ? { candidate: c } : {}),
  });

  it('replaces the banner candidate, entries and grounds of the open patient without closing it', async () => {
    const { api, pending, session: s } = fakeApi();
    const a = candidate('AB', ['his']);
    s.open(a);
    pending[0]!.resolve({ viewId: 'o1', entries: [entry('e1', 'his')], sources: [], access: ACCESS });
    await tick();
    const seq = s.get().seq;
    s.handleEvent(remasked('o1', [entry('m1', 'his')], masked(a)));
    expect(s.get()).toMatchObject({ phase: 'open', viewId: 'o1', seq, candidate: { displayName: 'A*' }, access: { maskLevel: 'full' } });
    expect(s.get().entries.map((e) => e.id)).toEqual(['m1']);
    expect(api.closePatient).not.toHaveBeenCalled();
  });

  it('a reply computed before the switch does not bring the old level back', async () => {
    const { pending, session: s } = fakeApi();
    const a = candidate('AB', ['his']);
    s.open(a);
    s.handleEvent(remasked('o1', [entry('m1', 'his')], masked(a)));
    pending[0]!.resolve({ viewId: 'o1', entries: [entry('plain', 'his')], sources: [], access: ACCESS, candidate: a });
    await tick();
    expect(s.get()).toMatchObject({ phase: 'open', candidate: { displayName: 'A*' } });
    expect(s.get().entries.map((e) => e.id)).toEqual(['m1']);
    // Snapshots masked at the new level still arrive and apply.
    s.handleEvent({ ...snapshot('o1', [entry('m1', 'his'), entry('m2', 'his')]), complete: true, access: FULL } as ApiEvent);
    expect(s.get().entries).toHaveLength(2);
  });

  it('without a candidate to re-mask, or with a failed open, the patient closes rather than stay masked for the old mode', async () => {
    const { api, pending, session: s } = fakeApi();
    s.open(candidate('AB', ['his']));
    pending[0]!.resolve({ viewId: 'o1', entries: [], sources: [], access: ACCESS });
    await tick();
    s.handleEvent(remasked('o1', []));
    expect(s.get().phase).toBe('idle');
    expect(api.closePatient).toHaveBeenCalledWith({ viewId: 'o1' });

    s.open(candidate('CD', ['his']));
    pending[1]!.reject(new Error('refused'));
    await tick();
    expect(s.get().phase).toBe('failed');
    s.privacyModeChanged();
    expect(s.get().phase).toBe('idle');
  });
});
