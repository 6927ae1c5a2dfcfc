import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { createInMemoryLinkDecisionStore, refKey, type LinkDecision } from '../../../../../src/main/services/identity/link-decisions.ts';
import { vouchOnePerson, type PersonEvidence } from '../../../../../src/main/services/identity/one-person.ts';
import type { SourcePatientRef } from '../../../../../src/shared/domain/source.ts';

const RESIDENT_ID = 'urn:oid:2.16.156.10011.1.3';
const LIS_MRN = 'urn:test:lis:mrn';
const ZHANG_ID = '110101196803120132';
const OTHER_ID = '510104198112216015';

const ref = (sourceId: string, sourcePatientId: string): SourcePatientRef => ({ sourceId, sourcePatientId });
const cdrZhang = ref('cdr', 'pat-0001');
const hisZhang = ref('his', 'H1000001');
const lisZhang = ref('lis', 'L1');
const cdrOther = ref('cdr', 'pat-0002');
const cdrNamesake = ref('cdr', 'pat-0099');
const pacsNamesake = ref('pacs', 'P99');

function patient(
  id: string,
  name: string,
  birthDate: string,
  gender: 'male' | 'female',
  identifiers: { system: string; value: string }[] = [],
): Patient {
  return { resourceType: 'Patient', id, name: [{ text: name }], birthDate, gender, identifier: identifiers };
}

const seen = new Map<string, Patient>([
  [refKey(cdrZhang), patient('pat-0001', '张伟', '1968-03-12', 'male', [{ system: RESIDENT_ID, value: ZHANG_ID }])],
  [
    refKey(hisZhang),
    patient('H1000001', '张伟', '1968-03-12', 'male', [
      { system: RESIDENT_ID, value: ZHANG_ID },
      { system: LIS_MRN, value: 'L1' },
    ]),
  ],
  [refKey(cdrOther), patient('pat-0002', '杨俊杰', '1981-12-21', 'male', [{ system: RESIDENT_ID, value: OTHER_ID }])],
  // Same name, birth dates a day apart, no identifier: the matcher says only "possibly" the same person.
  [refKey(cdrNamesake), patient('pat-0099', '王芳', '1975-04-17', 'female')],
  [refKey(pacsNamesake), patient('P99', '王芳', '1975-04-18', 'female')],
]);

function evidence(decisions: LinkDecision[] = []): PersonEvidence {
  return {
    patientOf: (r) => seen.get(refKey(r)),
    decisions: createInMemoryLinkDecisionStore(decisions),
    idSystemOf: (sourceId) => (sourceId === 'lis' ? LIS_MRN : undefined),
  };
}

const decision = (a: SourcePatientRef, b: SourcePatientRef, verdict: LinkDecision['verdict']): LinkDecision => ({
  a,
  b,
  verdict,
  decidedBy: 'dr.li',
  decidedAt: '2026-01-01T00:00:00Z',
});

describe('vouchOnePerson: only records the identity service ties together are one person', () => {
  it('one record is always one person; duplicates count once', () => {
    expect(vouchOnePerson([cdrOther, cdrOther], evidence())).toEqual({ kind: 'one-person', refs: [cdrOther] });
    expect(vouchOnePerson([ref('cdr', 'never-seen')], evidence()).kind).toBe('one-person');
  });

  it('records linked by 身份证, plus a cross-reference a member carries, are one person', () => {
    expect(vouchOnePerson([cdrZhang, hisZhang, lisZhang], evidence())).toMatchObject({ kind: 'one-person' });
  });

  it('another patient’s records sent along are strangers, in any order', () => {
    expect(vouchOnePerson([cdrZhang, cdrOther], evidence())).toMatchObject({ kind: 'not-one-person', strangers: [cdrOther] });
    expect(vouchOnePerson([cdrOther, cdrZhang, hisZhang], evidence())).toMatchObject({
      kind: 'not-one-person',
      strangers: [cdrZhang, hisZhang],
    });
  });

  it('a record the identity service has never seen is a stranger beside others', () => {
    expect(vouchOnePerson([cdrZhang, ref('lis', 'L404')], evidence())).toMatchObject({
      kind: 'not-one-person',
      strangers: [ref('lis', 'L404')],
    });
  });

  it('a "possible" pair is not vouched for until a clinician confirms it; an unlink separates even linked records', () => {
    expect(vouchOnePerson([cdrNamesake, pacsNamesake], evidence()).kind).toBe('not-one-person');
    expect(vouchOnePerson([cdrNamesake, pacsNamesake], evidence([decision(cdrNamesake, pacsNamesake, 'confirmed')])).kind).toBe(
      'one-person',
    );
    expect(vouchOnePerson([cdrZhang, hisZhang], evidence([decision(cdrZhang, hisZhang, 'unlinked')])).kind).toBe('not-one-person');
    // A confirmation does not tie two records with different valid 身份证 (another patient, one click away).
    expect(vouchOnePerson([cdrZhang, cdrOther], evidence([decision(cdrZhang, cdrOther, 'confirmed')])).kind).toBe('not-one-person');
    // A cross-reference into a system the person was unlinked from no longer counts.
    expect(vouchOnePerson([cdrZhang, hisZhang, lisZhang], evidence([decision(hisZhang, ref('lis', 'L7'), 'unlinked')])).kind).toBe(
      'not-one-person',
    );
  });
});
