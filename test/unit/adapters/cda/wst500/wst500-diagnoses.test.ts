import { describe, expect, it } from 'vitest';
import { CHINA_ICD10_SYSTEM } from '../../../../../src/adapters/cda/wst500/index.ts';
import { conditions, convertFixture, diagnosis } from './wst500-helpers.ts';

const TCM = 'urn:oid:2.16.156.10011.2.3.3.14';

describe('WS/T 500 diagnoses → Condition (name + ICD-10 / GB/T 15657 code + role + date)', () => {
  it('入院记录: a name with its ICD-10 code nested in entryRelationship is one Condition, ranked, admission + preliminary', () => {
    const c = convertFixture('admission-record-c0034.xml');
    const dx = conditions(c).map(diagnosis);
    expect(dx).toContainEqual({
      text: '社区获得性肺炎',
      code: 'J18.900',
      system: CHINA_ICD10_SYSTEM,
      roles: ['admission', 'preliminary'],
      date: '2024-03-10',
    });
    expect(dx).toContainEqual({
      text: '2型糖尿病',
      code: 'E11.900',
      system: CHINA_ICD10_SYSTEM,
      roles: ['admission', 'preliminary'],
      date: '2024-03-10',
    });
    const pneumonia = conditions(c).find((x) => x.code?.text === '社区获得性肺炎');
    expect(pneumonia?.code?.coding?.[0]).toMatchObject({ version: '2.16.156.10011.2.3.3.11.3', display: '肺炎' });
    expect(pneumonia?.extension?.[0]?.valuePositiveInt).toBe(1);
    expect(pneumonia?.verificationStatus?.coding?.[0]?.code).toBe('provisional');
  });

  it('入院记录: a 中医病名 and the 证候 nested beside its code are two Conditions with their GB/T 15657 codes', () => {
    const dx = conditions(convertFixture('admission-record-c0034.xml')).map(diagnosis);
    expect(dx).toContainEqual(expect.objectContaining({ text: '咳嗽', code: 'BNF010', system: TCM }));
    expect(dx).toContainEqual(expect.objectContaining({ text: '风热犯肺证', code: 'ZBRFR0', system: TCM }));
    expect(dx).toHaveLength(4);
  });

  it('出院小结: code-only diagnoses take their name from displayName or the CD text; the section gives admission vs discharge', () => {
    const dx = conditions(convertFixture('discharge-summary-c0053.xml')).map(diagnosis);
    expect(dx).toEqual([
      { text: '肺炎', code: 'J18.900', system: CHINA_ICD10_SYSTEM, roles: ['admission'], date: '2024-03-10' },
      { text: '细菌性肺炎', code: 'J15.901', system: CHINA_ICD10_SYSTEM, roles: ['discharge'], date: '2024-03-18' },
    ]);
  });

  it('病案首页: name and code side by side in an organizer; 主要诊断 / 其他诊断 from the labels, 出院诊断 from the section', () => {
    const dx = conditions(convertFixture('inpatient-front-page-c0032.xml')).map(diagnosis);
    expect(dx).toEqual([
      expect.objectContaining({ text: '急性下壁心肌梗死', code: 'I21.100', roles: ['discharge', 'principal'] }),
      expect.objectContaining({ text: '高血压病3级', code: 'I10.x00', roles: ['discharge', 'other'] }),
    ]);
  });

  it('门急诊病历 and prescriptions: the document type gives the outpatient setting', () => {
    expect(conditions(convertFixture('outpatient-record-c0002.xml')).map(diagnosis)).toEqual([
      { text: '急性上呼吸道感染', code: 'J06.900', system: CHINA_ICD10_SYSTEM, roles: ['outpatient'], date: '2024-03-01' },
      // A name element sent as a coded value carries its own code.
      { text: '发热', code: 'R50.900', system: CHINA_ICD10_SYSTEM, roles: ['outpatient', 'other'], date: '2024-03-01' },
    ]);
    expect(conditions(convertFixture('western-prescription-c0004.xml')).map(diagnosis)).toEqual([
      expect.objectContaining({ text: '高血压', code: 'I10.x00', roles: ['outpatient'] }),
    ]);
    expect(conditions(convertFixture('herbal-prescription-c0005.xml')).map(diagnosis)).toEqual([
      expect.objectContaining({ text: '不寐', code: 'BNG010', system: TCM, roles: ['outpatient'] }),
    ]);
  });

  it('a label outranks the section: an 入院诊断 inside a 11535-2 section stays an admission diagnosis', async () => {
    const { diagnosisRoles } = await import('../../../../../src/adapters/cda/wst500/diagnosis-roles.ts');
    expect(diagnosisRoles({ labels: ['入院诊断编码'], sectionLoinc: '11535-2' })).toEqual(['admission']);
    expect(diagnosisRoles({ labels: ['出院西医诊断-其他诊断名称'], sectionLoinc: '11535-2' })).toEqual(['discharge', 'other']);
    expect(diagnosisRoles({ labels: ['诊断代码'], sectionTitle: '术后诊断' })).toEqual(['postoperative']);
  });

  it('出院小结 手术操作: the ICD-9-CM procedure with its name from 手术(操作)名称 and its period is a Procedure', () => {
    const c = convertFixture('discharge-summary-c0053.xml');
    const procedures = c.clinical.map((x) => x.resource).filter((r) => r.resourceType === 'Procedure');
    expect(procedures).toEqual([
      expect.objectContaining({
        status: 'completed',
        code: { coding: [{ system: 'urn:oid:2.16.156.10011.2.3.3.12', code: '33.2201' }], text: '纤维支气管镜检查' },
        performedPeriod: { start: '2024-03-12T10:00:00+08:00', end: '2024-03-12T10:30:00+08:00' },
      }),
    ]);
    // 麻醉方法 is an attribute of the procedure: no diagnosis, no observation.
    expect(conditions(c)).toHaveLength(2);
  });
});
