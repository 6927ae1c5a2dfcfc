import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { markCachedParts } from '../../../../../src/main/services/patient-record/cached-stand-ins.ts';
import type { PatientCandidate } from '../../../../../src/shared/domain/patient.ts';

const candidate = (refs: PatientCandidate['refs']): PatientCandidate => ({
  key: refs.map((r) => `${r.sourceId}/${r.sourcePatientId}`).join('+'),
  displayName: '测试',
  otherNames: [],
  identifiers: [],
  refs,
  link: { outcome: refs.length > 1 ? 'linked' : 'single', reasons: [] },
});

const cachedPatient = (sourceId: string, id: string, fetchedAt: string): SourcedResource<Patient> => ({
  resource: { resourceType: 'Patient', id },
  provenance: { sourceId, sourceName: sourceId, sourceKind: 'fhir', nativeId: `Patient/${id}`, fetchedAt },
});

describe('markCachedParts', () => {
  it('marks the refs the cache stood in for, each with when it was fetched, and leaves live parts unmarked', () => {
    const mixed = candidate([
      { sourceId: 'cdr', sourcePatientId: 'p1' },
      { sourceId: 'his', sourcePatientId: 'H1' },
    ]);
    const live = candidate([{ sourceId: 'cdr', sourcePatientId: 'p2' }]);
    const [a, b] = markCachedParts([mixed, live], [cachedPatient('his', 'H1', '2026-12-06T06:05:00Z')]);
    expect(a!.cached).toEqual([{ sourceId: 'his', fetchedAt: '2026-12-06T06:05:00Z' }]);
    expect(b).toBe(live);
    expect(b!.cached).toBeUndefined();
  });

  it("does not mark a ref by another system's cached patient with the same id", () => {
    const c = candidate([{ sourceId: 'cdr', sourcePatientId: 'X' }]);
    expect(markCachedParts([c], [cachedPatient('his', 'X', '2026-12-06T06:05:00Z')])[0]!.cached).toBeUndefined();
  });
});
