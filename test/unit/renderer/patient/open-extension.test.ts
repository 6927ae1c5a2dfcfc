import { describe, expect, it, vi } from 'vitest';
import { concernsOpened, extendedRefs, extensionFor, refsKeyOf } from '../../../../src/renderer/patient/open-extension.ts';
import { OpenPatientView } from '../../../../src/renderer/patient/open-patient-view.ts';
import type { ApiResponse } from '../../../../src/shared/api/contract.ts';
import type { PatientCandidate } from '../../../../src/shared/domain/patient.ts';
import type { TimelineEntry } from '../../../../src/shared/domain/timeline.ts';

const ref = (sourceId: string, person = 'A') => ({ sourceId, sourcePatientId: `${person}@${sourceId}` });
function candidate(sourceIds: string[], outcome: 'linked' | 'possible' | 'single' = 'linked', person = 'A'): PatientCandidate {
  return {
    key: `${person}:${sourceIds.join('+')}`,
    displayName: person,
    otherNames: [],
    identifiers: [],
    refs: sourceIds.map((s) => ref(s, person)),
    link: { outcome, reasons: [] },
  };
}
function entry(id: string, sourceId: string): TimelineEntry {
  return {
    id,
    kind: 'encounter',
    title: id,
    codes: [],
    provenance: [{ sourceId, sourceName: sourceId, sourceKind: 'fhir', nativeId: id, fetchedAt: '2024-01-01T00:00:00Z' }],
    resource: { resourceType: 'Encounter' } as TimelineEntry['resource'],
  };
}
const ACCESS = { basis: 'ward' as const, withheldTypes: [], masked: false, maskLevel: 'none' as const };
const opened = (viewId: string, entries: TimelineEntry[], sourceIds: string[]): ApiResponse<'openPatient'> => ({
  viewId,
  entries,
  sources: sourceIds.map((sourceId) => ({ sourceId, name: sourceId, kind: 'fhir' as const, state: 'ok' as const })),
  quality: [],
  access: ACCESS,
});

function fakeApi() {
  const pending: {
    request: { refs: unknown[]; viewId?: string };
    resolve(r: ApiResponse<'openPatient'>): void;
    reject(e: unknown): void;
  }[] = [];
  const api = {
    openPatient: vi.fn(
      (request: { refs: unknown[]; viewId?: string }) =>
        new Promise<ApiResponse<'openPatient'>>((resolve, reject) => {
          pending.push({ request, resolve, reject });
        }),
    ),
    closePatient: vi.fn(async (_request: { viewId: string }) => ({ closed: true })),
  };
  const session = new OpenPatientView(api, () => 'v1');
  return { api, pending, session };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('which search answer extends the open person', () => {
  const open = [ref('cdr'), ref('lis')];
  it('a linked candidate sharing a record and naming more', () => {
    expect(extensionFor([candidate(['cdr', 'lis', 'his'])], open)?.refs.map((r) => r.sourceId)).toEqual(['cdr', 'lis', 'his']);
  });
  it('never a merely possible match, another person, or one with nothing new', () => {
    expect(extensionFor([candidate(['cdr', 'lis', 'his'], 'possible')], open)).toBeUndefined();
    expect(extensionFor([candidate(['cdr', 'his'], 'linked', 'B')], open)).toBeUndefined();
    expect(extensionFor([candidate(['lis', 'cdr'])], open)).toBeUndefined();
  });
  it('keeps records the open held that the candidate lacks; keys ignore order', () => {
    expect(extendedRefs(open, candidate(['lis', 'his'])).map((r) => r.sourceId)).toEqual(['lis', 'his', 'cdr']);
    expect(refsKeyOf([ref('a'), ref('b')])).toBe(refsKeyOf([ref('b'), ref('a')]));
    expect(concernsOpened([candidate(['his'], 'single', 'B')], open)).toBe(false);
  });
});

describe('OpenPatientView: a patient opened before the search settled', () => {
  it('shows which systems are still asked, then opens the records they add in place under the same view', async () => {
    const { api, pending, session } = fakeApi();
    session.open(candidate(['cdr', 'lis']));
    session.searchProgress([candidate(['cdr', 'lis'])], ['his', 'pacs']);
    expect(session.get().asking).toEqual(['his', 'pacs']);
    pending[0]!.resolve(opened('v1', [entry('cdr-1', 'cdr')], ['cdr', 'lis']));
    await tick();
    expect(session.get().phase).toBe('open');
    expect(session.get().asking).toEqual(['his', 'pacs']);

    // The HIS answered: the same person now has an HIS record too.
    session.searchProgress([candidate(['cdr', 'lis', 'his'])], ['pacs']);
    expect(api.openPatient).toHaveBeenCalledTimes(2);
    expect(pending[1]!.request.viewId).toBe('v1');
    expect(pending[1]!.request.refs).toEqual(candidate(['cdr', 'lis', 'his']).refs);
    expect(api.closePatient).not.toHaveBeenCalled();
    // What the reader sees stays while the added records load.
    expect(session.get().entries.map((e) => e.id)).toEqual(['cdr-1']);
    pending[1]!.resolve(opened('v1', [entry('his-1', 'his'), entry('cdr-1', 'cdr')], ['cdr', 'lis', 'his']));
    await tick();
    const view = session.get();
    expect(view.phase).toBe('open');
    expect(view.entries.map((e) => e.id)).toEqual(['his-1', 'cdr-1']);
    expect(view.sources.map((s) => s.sourceId)).toContain('his');
    expect(view.candidate?.refs.map((r) => r.sourceId)).toEqual(['cdr', 'lis', 'his']);
    expect(view.asking).toEqual(['pacs']);

    // Settled: nothing is asked any more.
    session.searchProgress([candidate(['cdr', 'lis', 'his'])], []);
    expect(session.get().asking).toBeUndefined();
    expect(api.openPatient).toHaveBeenCalledTimes(2);
  });

  it('waits for the first open to settle before opening more under its view (main would drop the first)', async () => {
    const { api, pending, session } = fakeApi();
    session.open(candidate(['cdr']));
    session.searchProgress([candidate(['cdr', 'his'])], []);
    expect(api.openPatient).toHaveBeenCalledTimes(1);
    pending[0]!.resolve(opened('v1', [entry('cdr-1', 'cdr')], ['cdr']));
    await tick();
    expect(api.openPatient).toHaveBeenCalledTimes(2);
    expect(pending[1]!.request.refs).toEqual(candidate(['cdr', 'his']).refs);
  });

  it('a refused extension leaves the open record as it was, says so, and is not asked again on every answer', async () => {
    const { api, pending, session } = fakeApi();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    session.open(candidate(['cdr']));
    pending[0]!.resolve(opened('v1', [entry('cdr-1', 'cdr')], ['cdr']));
    await tick();
    session.searchProgress([candidate(['cdr', 'his'])], ['pacs']);
    pending[1]!.reject(new Error('not one person'));
    await tick();
    expect(session.get().phase).toBe('open');
    expect(session.get().entries.map((e) => e.id)).toEqual(['cdr-1']);
    expect(session.get().extensionRefused).toBe(true);
    session.searchProgress([candidate(['cdr', 'his'])], []);
    expect(api.openPatient).toHaveBeenCalledTimes(2);
  });

  it('a search for someone else names no pending systems on the open patient and adds nothing', async () => {
    const { api, pending, session } = fakeApi();
    session.open(candidate(['cdr']));
    pending[0]!.resolve(opened('v1', [], ['cdr']));
    await tick();
    session.searchProgress([candidate(['cdr', 'his'], 'linked', 'B')], ['pacs']);
    expect(session.get().asking).toBeUndefined();
    expect(api.openPatient).toHaveBeenCalledTimes(1);
  });

  it('an extension answering after the patient was closed changes nothing', async () => {
    const { pending, session } = fakeApi();
    session.open(candidate(['cdr']));
    pending[0]!.resolve(opened('v1', [], ['cdr']));
    await tick();
    session.searchProgress([candidate(['cdr', 'his'])], []);
    session.close();
    pending[1]!.resolve(opened('v1', [entry('his-1', 'his')], ['cdr', 'his']));
    await tick();
    expect(session.get().phase).toBe('idle');
    expect(session.get().entries).toEqual([]);
  });
});

describe('OpenPatientView: opened from a search already under way', () => {
  it('names the systems still asked at once, without waiting for the next answer', () => {
    const { session } = fakeApi();
    session.searchProgress([candidate(['cdr', 'lis'])], ['his']);
    session.open(candidate(['cdr', 'lis']));
    expect(session.get().phase).toBe('opening');
    expect(session.get().asking).toEqual(['his']);
  });
});
