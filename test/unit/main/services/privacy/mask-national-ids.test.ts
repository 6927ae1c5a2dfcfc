import { describe, expect, it } from 'vitest';
import type { Observation, Patient } from '@medplum/fhirtypes';
import { DEFAULT_PRIVACY_CONFIG } from '../../../../../src/shared/config/privacy.ts';
import type { PatientCandidate } from '../../../../../src/shared/domain/patient.ts';
import type { TimelineEntry } from '../../../../../src/shared/domain/timeline.ts';
import { createPrivacyMasking } from '../../../../../src/main/services/privacy/index.ts';

/**
 * The role level ('national-id', nurses and radiologists): the two identifiers of the bedside
 * check (查对) — name and MRN (住院号/病案号) — stay whole; only the 身份证 is masked, wherever
 * it is: the candidate, the Patient resource, free text, DICOM metadata.
 */
const RESIDENT_ID = '110101196803120132';
const MASKED = '110101********0132';
const masking = createPrivacyMasking(DEFAULT_PRIVACY_CONFIG);

const candidate: PatientCandidate = {
  key: 'k',
  displayName: '张伟',
  otherNames: ['Zhang Wei'],
  identifiers: [
    { label: '病案号', value: 'CDR-000001', sourceId: 'cdr' },
    { label: '住院号', value: 'H1000001', sourceId: 'his' },
    { label: '居民身份证', system: 'urn:oid:2.16.156.10011.1.3', value: RESIDENT_ID, sourceId: 'cdr' },
    // A PACS that files the 身份证 without saying so: known by its shape.
    { label: 'PACS PatientID', value: RESIDENT_ID, sourceId: 'pacs' },
  ],
  refs: [{ sourceId: 'cdr', sourcePatientId: 'pat-0001' }],
  link: {
    outcome: 'linked',
    reasons: [
      {
        code: 'pair',
        a: { sourceId: 'cdr', sourcePatientId: 'pat-0001' },
        b: { sourceId: 'his', sourcePatientId: 'H1000001' },
        verdict: { code: 'verdict-identifier', outcome: 'linked', link: { kind: 'resident-id', value: RESIDENT_ID }, score: 20 },
        notes: [],
        evidence: [],
      },
    ],
  },
};

const patient: Patient = {
  resourceType: 'Patient',
  id: 'pat-0001',
  identifier: [
    { system: 'urn:huizhen:demo-hospital:cdr:mrn', type: { text: '病案号' }, value: 'CDR-000001' },
    { system: 'urn:oid:2.16.156.10011.1.3', type: { coding: [{ code: 'NNCHN' }], text: '居民身份证' }, value: RESIDENT_ID },
  ],
  name: [{ text: '张伟', family: '张', given: ['伟'] }],
  telecom: [{ system: 'phone', value: '13811112222' }],
};
const note: Observation = {
  resourceType: 'Observation',
  status: 'final',
  code: { text: '备注' },
  subject: { reference: 'Patient/pat-0001', display: '张伟' },
  valueString: `张伟 住院号 H1000001 身份证 ${RESIDENT_ID}`,
};
const entry = (id: string, resource: TimelineEntry['resource']): TimelineEntry => ({
  id,
  kind: 'other',
  title: id,
  codes: [],
  provenance: [{ sourceId: 'cdr', sourceName: 'CDR', sourceKind: 'fhir', nativeId: id, fetchedAt: '2025-01-01T00:00:00Z' }],
  resource,
});

describe('the role level of masking: 身份证 only', () => {
  it('a search result keeps name and MRNs whole and masks each 身份证, by label, system or shape', () => {
    const [masked] = masking.candidates([candidate], 'national-id');
    expect(masked!.displayName).toBe('张伟');
    expect(masked!.otherNames).toEqual(['Zhang Wei']);
    expect(masked!.identifiers.map((i) => i.value)).toEqual(['CDR-000001', 'H1000001', MASKED, MASKED]);
    expect(masked!.link.reasons[0]).toMatchObject({ b: { sourcePatientId: 'H1000001' }, verdict: { link: { value: MASKED } } });
    expect(JSON.stringify(masked)).not.toContain(RESIDENT_ID);
  });

  it('timeline entries keep name and MRN; the 身份证 is masked in the Patient and in free text', () => {
    const original = structuredClone([entry('p', patient), entry('o', note)]);
    const masked = masking.entries(original, 'national-id');
    const p = masked[0]!.resource as Patient;
    expect(p.name?.[0]?.text).toBe('张伟');
    expect(p.identifier?.map((i) => i.value)).toEqual(['CDR-000001', MASKED]);
    expect((masked[1]!.resource as Observation).valueString).toBe(`张伟 住院号 H1000001 身份证 ${MASKED}`);
    expect(JSON.stringify(masked)).not.toContain(RESIDENT_ID);
    // Pure: the record main keeps is untouched.
    expect((original[0]!.resource as Patient).identifier?.[1]?.value).toBe(RESIDENT_ID);
  });

  it('DICOM metadata: name and PACS PatientID (an MRN) stay; the 身份证 in OtherPatientIDsSequence is masked', () => {
    const body = [
      {
        '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Zhang^Wei', Ideographic: '张^伟' }] },
        '00100020': { vr: 'LO', Value: ['P10000001'] },
        '00101002': {
          vr: 'SQ',
          Value: [{ '00100020': { vr: 'LO', Value: [RESIDENT_ID] }, '00100021': { vr: 'LO', Value: ['2.16.156.10011.1.3'] } }],
        },
      },
    ];
    const masked = masking.dicomJson(body, 'national-id') as typeof body;
    expect(masked[0]!['00100010']).toEqual(body[0]!['00100010']);
    expect(masked[0]!['00100020'].Value).toEqual(['P10000001']);
    expect(JSON.stringify(masked)).not.toContain(RESIDENT_ID);
    expect(JSON.stringify(masked)).toContain(MASKED);
  });

  it('an MRN issued as the 身份证 (by its issuer) is masked even without its shape', () => {
    const body = [
      {
        '00101002': {
          vr: 'SQ',
          Value: [{ '00100020': { vr: 'LO', Value: ['X1234567'] }, '00100021': { vr: 'LO', Value: ['urn:oid:2.16.156.10011.1.3'] } }],
        },
      },
    ];
    expect(JSON.stringify(masking.dicomJson(body, 'national-id'))).not.toContain('X1234567');
  });

  it('privacy mode still masks everything (names and MRNs too)', () => {
    const [masked] = masking.candidates([candidate], 'full');
    expect(masked!.displayName).toBe('张*');
    expect(masked!.identifiers.map((i) => i.value)).not.toContain('CDR-000001');
  });
});
