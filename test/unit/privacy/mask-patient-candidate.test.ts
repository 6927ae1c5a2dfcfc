import { describe, expect, it } from 'vitest';
import type { Patient } from '@medplum/fhirtypes';
import { PrivacyConfigSchema } from '../../../src/shared/config/privacy.ts';
import type { PatientCandidate } from '../../../src/shared/domain/patient.ts';
import { maskCandidate } from '../../../src/main/services/privacy/mask-candidate.ts';
import { maskPatient } from '../../../src/main/services/privacy/mask-patient.ts';

const patient: Patient = {
  resourceType: 'Patient',
  id: 'pat-0001',
  identifier: [
    { system: 'urn:huizhen:demo-hospital:cdr:mrn', value: 'CDR-000001' },
    { system: 'urn:oid:2.16.156.10011.1.3', value: '110101196803120132' },
  ],
  name: [
    { use: 'official', text: '张伟', family: '张', given: ['伟'] },
    { use: 'official', text: 'Zhang Wei', family: 'Zhang', given: ['Wei'] },
  ],
  telecom: [{ system: 'phone', value: '13811112222', use: 'mobile' }],
  gender: 'male',
  birthDate: '1968-03-12',
  address: [{ use: 'home', text: '北京市东城区东华门大街1号', city: '北京市', district: '东城区', country: 'CN' }],
  photo: [{ contentType: 'image/jpeg', data: 'AAAA' }],
  contact: [{ name: { text: '李娜', family: '李', given: ['娜'] }, telecom: [{ system: 'phone', value: '13900001111' }] }],
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">张伟 110101196803120132 13811112222</div>' },
};

describe('maskPatient', () => {
  it('masks every identifying field and keeps what tells records apart', () => {
    const original = structuredClone(patient);
    const masked = maskPatient(patient);
    expect(patient).toEqual(original);
    expect(masked.id).toBe('pat-0001');
    expect(masked.gender).toBe('male');
    expect(masked.birthDate).toBe('1968');
    expect(masked.name?.map((n) => n.text)).toEqual(['张*', 'Z**** W**']);
    expect(masked.identifier).toEqual([
      { system: 'urn:huizhen:demo-hospital:cdr:mrn', value: '*******001' },
      { system: 'urn:oid:2.16.156.10011.1.3', value: '110101********0132' },
    ]);
    expect(masked.telecom?.[0]?.value).toBe('*******2222');
    expect(masked.address?.[0]?.text).toBe('北京市东城区******');
    expect(masked.photo).toBeUndefined();
    expect(masked.contact?.[0]?.name?.text).toBe('李*');
    expect(masked.contact?.[0]?.telecom?.[0]?.value).toBe('*******1111');
    expect(masked.text?.div).toBe('<div xmlns="http://www.w3.org/1999/xhtml">张* 110101********0132 *******2222</div>');
  });

  it('hides the birth date entirely when configured', () => {
    expect(maskPatient(patient, PrivacyConfigSchema.parse({ birthDate: 'hide' })).birthDate).toBeUndefined();
  });

  it('copes with a Patient that has nothing to mask', () => {
    expect(maskPatient({ resourceType: 'Patient' })).toEqual({ resourceType: 'Patient' });
    expect(maskPatient({ resourceType: 'Patient', birthDate: 'garbage' }).birthDate).toBeUndefined();
  });
});

describe('maskCandidate', () => {
  const candidate: PatientCandidate = {
    key: 'k1',
    displayName: '张伟',
    otherNames: ['Zhang Wei'],
    gender: 'male',
    birthDate: '1968-03-12',
    identifiers: [
      { system: 'urn:oid:2.16.156.10011.1.3', value: '110101196803120132', label: '身份证', sourceId: 'cdr' },
      { value: 'H1000001', label: 'MRN (HIS)', sourceId: 'his' },
    ],
    refs: [
      { sourceId: 'cdr', sourcePatientId: 'pat-0001' },
      { sourceId: 'his', sourcePatientId: 'H1000001' },
    ],
    link: {
      outcome: 'linked',
      score: 12,
      reasons: [
        {
          code: 'pair',
          a: { sourceId: 'cdr', sourcePatientId: 'pat-0001' },
          b: { sourceId: 'his', sourcePatientId: 'H1000001' },
          verdict: { code: 'verdict-identifier', outcome: 'linked', link: { kind: 'resident-id', value: '110101196803120132' }, score: 12 },
          notes: [],
          evidence: [{ code: 'name', weight: 9, a: '张伟', b: 'Zhang Wei', family: 'exact', given: 'exact', transposed: false }],
        },
      ],
    },
  };

  it('masks names, identifiers, birth date and the link reasons; keeps the handles', () => {
    const original = structuredClone(candidate);
    const masked = maskCandidate(candidate);
    expect(candidate).toEqual(original);
    expect(masked.displayName).toBe('张*');
    expect(masked.otherNames).toEqual(['Z**** W**']);
    expect(masked.birthDate).toBe('1968');
    expect(masked.identifiers.map((i) => i.value)).toEqual(['110101********0132', '******01']);
    expect(masked.refs).toEqual(candidate.refs);
    const [reason] = masked.link.reasons;
    expect(reason).toMatchObject({
      a: candidate.refs[0],
      b: candidate.refs[1],
      verdict: { link: { kind: 'resident-id', value: '110101********0132' } },
      evidence: [{ code: 'name', a: '张*', b: 'Z**** W**', family: 'exact' }],
    });
  });
});
