import { describe, expect, it } from 'vitest';
import { identifierTypeCode } from '../../../../../src/main/services/identity/identifier-type.ts';

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

describe('identifierTypeCode: the type the renderer words, never the source’s label', () => {
  it('takes HL7 v2-0203 codes from FHIR and bare PID-3.5 codes from v2 feeds', () => {
    expect(identifierTypeCode({ type: { coding: [{ system: V2_0203, code: 'MR' }], text: '病案号' }, value: 'P1' })).toBe('MR');
    expect(identifierTypeCode({ type: { coding: [{ code: 'pi' }] }, value: 'P1' })).toBe('PI');
    expect(identifierTypeCode({ type: { coding: [{ code: 'PT' }] }, value: 'P1' })).toBe('PT');
    expect(identifierTypeCode({ type: { coding: [{ code: 'NI' }] }, value: '11010119680312001X' })).toBe('NI');
  });

  it('names the 身份证 and WS/T 500 roots by their system, more precisely than their v2 code', () => {
    expect(identifierTypeCode({ system: 'urn:oid:2.16.156.10011.1.3', value: '11010119680312001X' })).toBe('NNCHN');
    const inpatient = {
      system: 'urn:oid:2.16.156.10011.1.12',
      type: { coding: [{ system: V2_0203, code: 'MR' }], text: '住院号' },
      value: 'Z1',
    };
    expect(identifierTypeCode(inpatient)).toBe('cn-inpatient-no');
    expect(identifierTypeCode({ system: 'urn:oid:2.16.156.10011.1.13', value: 'B1' })).toBe('cn-medical-record-no');
  });

  it('leaves a local type (a code of another code system, or free text) to be shown in the source’s words', () => {
    expect(identifierTypeCode({ type: { coding: [{ system: 'urn:his:local-id-types', code: 'MR' }], text: '病案号' }, value: 'X' })).toBe(
      undefined,
    );
    expect(identifierTypeCode({ type: { coding: [{ code: 'ZYH' }], text: '住院流水号' }, value: 'X' })).toBe(undefined);
    expect(identifierTypeCode({ type: { text: '门诊卡号' }, value: 'X' })).toBe(undefined);
    expect(identifierTypeCode({ system: 'urn:huizhen:demo-hospital:his:mrn', value: 'H1' })).toBe(undefined);
  });
});
