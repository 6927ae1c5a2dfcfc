import { describe, expect, it } from 'vitest';
import type { Patient } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../src/adapters/source-adapter.ts';
import { groupCandidates } from '../../../src/main/services/identity/group-candidates.ts';
import { formatHumanName } from '../../../src/main/services/identity/patient-names.ts';

const nationalId = (value: string) => ({ system: 'urn:oid:2.16.156.10011.1.3', value, type: { coding: [{ code: 'NI' }], text: '身份证' } });
const mrn = (value: string) => ({ system: 'urn:huizhen:mrn', value, type: { coding: [{ code: 'MR' }], text: 'MRN' } });

function found(sourceId: string, patient: Patient): SourcedResource<Patient> {
  return { resource: patient, provenance: { sourceId, sourceName: sourceId, sourceKind: 'fhir', nativeId: `Patient/${patient.id}`, fetchedAt: '2026-01-01T00:00:00Z' } };
}

describe('groupCandidates', () => {
  it('links records of different systems that share a national ID and says why', () => {
    const candidates = groupCandidates([
      found('cdr', { resourceType: 'Patient', id: 'a', name: [{ family: '张', given: ['伟'] }], identifier: [nationalId('110101196803120014'), mrn('CDR-1')] }),
      found('his', { resourceType: 'Patient', id: 'b', name: [{ family: 'Zhang', given: ['Wei'] }], identifier: [nationalId('110101196803120014'), mrn('H9')] }),
    ]);
    expect(candidates).toHaveLength(1);
    expect(candidates[0]).toMatchObject({
      displayName: '张伟',
      otherNames: ['Wei Zhang'],
      refs: [{ sourceId: 'cdr', sourcePatientId: 'a' }, { sourceId: 'his', sourcePatientId: 'b' }],
      link: { outcome: 'linked', reasons: ['same 身份证'] },
    });
    expect(candidates[0]!.identifiers.map((i) => i.value)).toEqual(['110101196803120014', 'CDR-1', '110101196803120014', 'H9']);
  });

  it('never links on a system-local MRN alone, even when the values coincide', () => {
    const candidates = groupCandidates([
      found('cdr', { resourceType: 'Patient', id: 'a', identifier: [mrn('1001')] }),
      found('his', { resourceType: 'Patient', id: 'b', identifier: [mrn('1001')] }),
    ]);
    expect(candidates.map((c) => c.link.outcome)).toEqual(['single', 'single']);
  });

  it('drops a patient without an id, which could not be opened', () => {
    expect(groupCandidates([found('cdr', { resourceType: 'Patient' })])).toEqual([]);
  });

  it('gives the same candidate key for the same set of records', () => {
    const p = found('cdr', { resourceType: 'Patient', id: 'a' });
    expect(groupCandidates([p])[0]!.key).toBe(groupCandidates([p])[0]!.key);
  });
});

describe('formatHumanName', () => {
  it('writes Chinese names family-first without a space and Western names given-first', () => {
    expect(formatHumanName({ family: '欧阳', given: ['娜娜'] })).toBe('欧阳娜娜');
    expect(formatHumanName({ family: 'Smith', given: ['Mary', 'Ann'] })).toBe('Mary Ann Smith');
    expect(formatHumanName({ text: ' 李雷 ' })).toBe('李雷');
    expect(formatHumanName({})).toBeUndefined();
  });
});
