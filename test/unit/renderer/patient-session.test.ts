import { describe, expect, it, vi } from 'vitest';
import { PatientSession } from '../../../src/renderer/app/patient-session.ts';
import type { ApiResponse } from '../../../src/shared/api/contract.ts';
import type { ApiEvent } from '../../../src/shared/api/events.ts';
import type { PatientCandidate } from '../../../src/shared/domain/patient.ts';
import type { TimelineEntry } from '../../../src/shared/domain/timeline.ts';

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
const snapshot = (openId: string, entries: TimelineEntry[]): ApiEvent => ({
  type: 'timeline.updated',
  openId,
  entries,
  sources: [],
  complete: false,
});

function fakeApi() {
  const pending: { resolve(r: ApiResponse<'openPatient'>): void; reject(e: unknown): void }[] = [];
  const api = {
    openPatient: vi.fn(
      () =>
        new Promise<ApiResponse<'openPatient'>>((resolve, reject) => {
          pending.push({ resolve, reject });
        }),
    ),
    closePatient: vi.fn(async () => ({ closed: true })),
  };
  return { api, pending };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('PatientSession', () => {
  it('shows snapshots while opening and the response as the final state', async () => {
    const { api, pending } = fakeApi();
    const s = new PatientSession(api);
    s.open(candidate('A', ['his', 'lis']));
    expect(s.get().phase).toBe('opening');
    s.handleEvent(snapshot('o1', [entry('e1', 'his')]));
    expect(s.get()).toMatchObject({ phase: 'opening', openId: 'o1' });
    expect(s.get().entries).toHaveLength(1);
    pending[0]!.resolve({ openId: 'o1', entries: [entry('e1', 'his'), entry('e2', 'lis')], sources: [] });
    await tick();
    expect(s.get()).toMatchObject({ phase: 'open', openId: 'o1' });
    // A late intermediate snapshot never regresses the final one.
    s.handleEvent(snapshot('o1', [entry('e1', 'his')]));
    expect(s.get().entries).toHaveLength(2);
  });

  it('ignores snapshots with records from systems this open did not ask', () => {
    const { api } = fakeApi();
    const s = new PatientSession(api);
    s.open(candidate('A', ['his']));
    s.handleEvent(snapshot('other', [entry('x', 'pacs')]));
    expect(s.get().entries).toHaveLength(0);
    expect(s.get().openId).toBeUndefined();
  });

  it('closes the previous open when switching, even if its id is known only later', async () => {
    const { api, pending } = fakeApi();
    const s = new PatientSession(api);
    s.open(candidate('A', ['his']));
    s.open(candidate('B', ['his']));
    // A's snapshot arrives while A's id is unknown and two opens are in flight: not claimed.
    s.handleEvent(snapshot('oA', [entry('a1', 'his')]));
    expect(s.get().candidate?.key).toBe('B');
    expect(s.get().entries).toHaveLength(0);
    pending[0]!.resolve({ openId: 'oA', entries: [entry('a1', 'his')], sources: [] });
    await tick();
    expect(api.closePatient).toHaveBeenCalledWith({ openId: 'oA' });
    expect(s.get().entries).toHaveLength(0);
    // Now only B is in flight: its snapshot is claimed; A's are ignored.
    s.handleEvent(snapshot('oA', [entry('a2', 'his')]));
    s.handleEvent(snapshot('oB', [entry('b1', 'his')]));
    expect(s.get()).toMatchObject({ openId: 'oB' });
    expect(s.get().entries.map((e) => e.id)).toEqual(['b1']);
    pending[1]!.resolve({ openId: 'oB', entries: [entry('b1', 'his')], sources: [] });
    await tick();
    s.close();
    expect(api.closePatient).toHaveBeenLastCalledWith({ openId: 'oB' });
    expect(s.get().phase).toBe('idle');
  });

  it('closes a claimed open at once when switching away', () => {
    const { api } = fakeApi();
    const s = new PatientSession(api);
    s.open(candidate('A', ['his']));
    s.handleEvent(snapshot('oA', [entry('a1', 'his')]));
    s.open(candidate('B', ['his']));
    expect(api.closePatient).toHaveBeenCalledWith({ openId: 'oA' });
  });

  it('reports a failed open', async () => {
    const { api, pending } = fakeApi();
    const s = new PatientSession(api);
    s.open(candidate('A', ['his']));
    pending[0]!.reject(new Error('openPatient failed; see the workstation log'));
    await tick();
    expect(s.get()).toMatchObject({ phase: 'failed', error: 'openPatient failed; see the workstation log' });
  });
});
