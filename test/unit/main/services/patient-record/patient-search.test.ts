import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { SourceAdapter, SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { SourceStatusBoard } from '../../../../../src/main/services/aggregator/index.ts';
import { searchAcrossSources } from '../../../../../src/main/services/patient-record/index.ts';
import type { ConfiguredSource } from '../../../../../src/main/services/patient-record/configured-source.ts';

const resilience = { timeoutMs: 60_000, searchTimeoutMs: 60_000, retries: 0, slowMs: 30_000 };

function patient(sourceId: string, id: string): SourcedResource<Patient> {
  return {
    resource: { resourceType: 'Patient', id, name: [{ text: '测试甲', family: '测', given: ['试甲'] }] },
    provenance: { sourceId, sourceName: sourceId, sourceKind: 'fhir', nativeId: `Patient/${id}`, fetchedAt: '2026-12-07T00:00:00.000Z' },
  };
}

/** A system that answers each query text as told; `searchPatients` is the only call a search makes. */
function system(id: string, answer: (text: string) => Promise<SourcedResource<Patient>[]>): ConfiguredSource {
  const adapter = { source: { id, name: id, kind: 'fhir' as const }, searchPatients: ({ text }: { text: string }) => answer(text) };
  return { config: { id, resilience }, adapter: adapter as unknown as SourceAdapter } as unknown as ConfiguredSource;
}

describe('follow-up searches go through the status board', () => {
  it('a system asked again by name that hangs shows loading, and its answer settles it', async () => {
    let release: (found: SourcedResource<Patient>[]) => void = () => {};
    const followUpAsked = Promise.withResolvers<void>();
    const his = system('his', async (text) => (text === 'MRN-0001' ? [patient('his', 'h1')] : []));
    const lis = system('lis', (text) => {
      if (text === 'MRN-0001') return Promise.resolve([]);
      followUpAsked.resolve();
      return new Promise((resolve) => (release = resolve));
    });
    const board = new SourceStatusBoard([his.adapter.source, lis.adapter.source]);
    const search = searchAcrossSources(
      {
        sources: [his, lis],
        board,
        target: (source, read) => ({ source: source.adapter.source, policy: source.config.resilience, read }),
      },
      'MRN-0001',
    );
    await followUpAsked.promise;
    // The first round answered (ok); the follow-up by the HIS's name is still out: the truth is "waiting".
    expect(board.get('lis')).toMatchObject({ state: 'loading' });
    expect(board.get('lis')?.loadingSince).toBeDefined();
    expect(board.get('his')?.state).toBe('ok');
    release([patient('lis', 'l1')]);
    const candidates = await search;
    expect(board.get('lis')).toMatchObject({ state: 'ok', entryCount: 1 });
    expect(candidates.flatMap((c) => c.refs.map((r) => r.sourceId)).sort()).toEqual(['his', 'lis']);
  });
});
