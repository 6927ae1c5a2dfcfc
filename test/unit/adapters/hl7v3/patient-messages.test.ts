import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertHl7v3ToBundle } from '../../../../src/adapters/hl7v3/convert-hl7v3.ts';
import type { Hl7v3MessageError } from '../../../../src/adapters/hl7v3/hl7v3-message-error.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/hl7v3/${name}`, import.meta.url));
const NNCHN = expect.objectContaining({ coding: [expect.objectContaining({ code: 'NNCHN' })] });

function errorOf(fn: () => unknown): Hl7v3MessageError {
  try {
    fn();
  } catch (error) {
    return error as Hl7v3MessageError;
  }
  throw new Error('expected an error');
}

describe('HL7 v3 patient messages beyond PDQ, ISO data-type style (互联互通)', () => {
  it('PRPA_IN201311UV02 registration: id/item, LIST_EN part, DSET_TEL, GB/T 2261.1 sex, BAG_AD parts', () => {
    const bundle = convertHl7v3ToBundle(fixture('synthetic/cn-register-iso-PRPA_IN201311UV02.xml'));
    expect(bundle.entry).toHaveLength(1);
    const p = bundle.entry![0]!.resource!;
    expect(p.identifier).toEqual([
      { system: 'urn:oid:2.16.156.10011.2.5.1.4', value: 'H1000001' },
      expect.objectContaining({ system: 'urn:oid:2.16.156.10011.1.3', value: '110101196803120132', type: NNCHN }),
      expect.objectContaining({ system: 'urn:oid:2.16.156.10011.1.19', value: 'HC-0000000001' }),
    ]);
    expect(p.name).toEqual([{ text: '张伟' }]);
    expect(p.telecom).toEqual([{ system: 'phone', value: '13811112222' }]);
    expect(p.gender).toBe('male');
    expect(p.birthDate).toBe('1968-03-12');
    expect(p.address).toEqual([
      {
        text: '北京市东城区景山街道景山前街4号',
        state: '北京市',
        city: '北京市',
        district: '东城区',
        line: ['景山街道景山前街4号'],
        postalCode: '100009',
      },
    ]);
    expect(p.maritalStatus).toMatchObject({
      coding: [{ system: 'urn:oid:2.16.156.10011.2.3.3.5', code: '20', display: '已婚' }],
      text: '已婚',
    });
  });

  it('PRPA_IN201314UV02 update, prefixed namespace: typed FAM/GIV parts, several telecoms, female by GB/T 2261.1', () => {
    const p = convertHl7v3ToBundle(fixture('synthetic/cn-update-iso-prefixed-PRPA_IN201314UV02.xml')).entry![0]!.resource!;
    expect(p.name).toEqual([{ use: 'official', text: '欧阳娜娜', family: '欧阳', given: ['娜娜'] }]);
    expect(p.telecom).toEqual([
      { system: 'phone', value: '021-00000000', use: 'home' },
      { system: 'phone', value: '13700000000', use: 'mobile' },
    ]);
    expect(p).toMatchObject({
      gender: 'female',
      birthDate: '1975-08-05',
      address: [{ use: 'home', state: '上海市', district: '徐汇区', line: ['示例路100号'] }],
    });
    expect(p.identifier).toEqual(expect.arrayContaining([expect.objectContaining({ value: '31010419750805002X', type: NNCHN })]));
  });
});

describe('sex as senders write it', () => {
  const withSex = (sex: string): string =>
    readFileSync(new URL('../../../fixtures/hl7v3/synthetic/cn-register-iso-PRPA_IN201311UV02.xml', import.meta.url), 'utf8').replace(
      /<administrativeGenderCode[^]*?<\/administrativeGenderCode>/,
      sex,
    );
  it.each([
    ['GB/T 2261.1 code 2', '<administrativeGenderCode code="2" codeSystem="2.16.156.10011.2.3.3.4"/>', 'female'],
    ['GB/T 2261.1 code 9', '<administrativeGenderCode code="9" codeSystem="2.16.156.10011.2.3.3.4"/>', 'other'],
    ['HL7 F', '<administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/>', 'female'],
    ['the word in @code', '<administrativeGenderCode code="女"/>', 'female'],
    ['only a displayName child', '<administrativeGenderCode><displayName value="男"/></administrativeGenderCode>', 'male'],
  ])('%s', (_label, xml, gender) => {
    expect(convertHl7v3ToBundle(withSex(xml)).entry![0]!.resource!.gender).toBe(gender);
  });
});

describe('HL7 v3 patient messages, classic data-type style', () => {
  it('PRPA_IN201302UV02 (ITI-44 revise): given/family in 汉字 and pinyin, 身份证 in asOtherIDs', () => {
    const p = convertHl7v3ToBundle(fixture('synthetic/iti44-revise-classic-PRPA_IN201302UV02.xml')).entry![0]!.resource!;
    expect(p.name?.map((n) => n.text)).toEqual(['张伟', 'Wei Zhang']);
    expect(p.identifier).toEqual([
      { system: 'urn:oid:2.16.156.10011.0.99.1', value: 'E100007919', assigner: { display: 'EMPI' } },
      expect.objectContaining({ value: '110101196803120132', type: NNCHN }),
    ]);
    expect(p).toMatchObject({
      gender: 'male',
      birthDate: '1968-03-12',
      telecom: [{ system: 'phone', value: '13811112222', use: 'mobile' }],
      address: [{ district: '东城区', postalCode: '100009' }],
    });
  });

  it('PRPA_IN201301UV02 (ITI-44 add, eHealth Suisse sample in SOAP 1.2)', () => {
    const p = convertHl7v3ToBundle(fixture('ehealthsuisse-iti44-add.xml')).entry![0]!.resource!;
    expect(p.name?.map((n) => n.family)).toEqual(['Muster', 'Tauxe']);
    expect(p).toMatchObject({ gender: 'female', birthDate: '1960-06-18', address: [{ city: 'Wettingen', postalCode: '5430' }] });
    expect(p.identifier?.map((i) => i.value)).toEqual(['TestSystemId', '761337610435201235']);
  });
});

describe('what convert refuses, with a code', () => {
  it('a query request is not an answer', () => {
    const e = errorOf(() => convertHl7v3ToBundle(fixture('ehealthsuisse-iti47-request.xml')));
    expect(e.code).toBe('request-not-answer');
    expect(e.message).toContain('PRPA_IN201305UV02 is a PDQv3 query request, not an answer');
    expect(e.message).toContain('PRPA_IN201306UV02');
  });

  it('an attribute-style AE answer with text/@value is an error answer carrying the platform text', () => {
    const e = errorOf(() => convertHl7v3ToBundle(fixture('synthetic/cn-pdq-answer-AE-attribute.xml')));
    expect(e.code).toBe('error-answer');
    expect(e.message).toContain('acknowledgement AE (application error): 查询失败：患者主索引服务连接超时');
    expect(e.failure).toMatchObject({ kind: 'application-error', details: ['查询失败：患者主索引服务连接超时'] });
  });

  it('a bare MCCI_IN000002UV01: AE is an error answer, AA carries no patient', () => {
    const ae = errorOf(() => convertHl7v3ToBundle(fixture('synthetic/cn-register-answer-MCCI-AE.xml')));
    expect(ae.code).toBe('error-answer');
    expect(ae.message).toContain('身份证件号码校验失败');
    const aa = readFileSync(new URL('../../../fixtures/hl7v3/synthetic/cn-register-answer-MCCI-AE.xml', import.meta.url), 'utf8').replace(
      'typeCode="AE"',
      'typeCode="AA"',
    );
    expect(errorOf(() => convertHl7v3ToBundle(aa)).code).toBe('acknowledgement-only');
  });

  it('a message that carries no patient is named, not mistaken for an empty answer', () => {
    const e = errorOf(() => convertHl7v3ToBundle('<POLB_IN224200UV01 xmlns="urn:hl7-org:v3"><id root="1"/></POLB_IN224200UV01>'));
    expect(e.code).toBe('unsupported-message');
  });
});
