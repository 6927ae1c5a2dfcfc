/**
 * The WS/T 500 classes on public samples written by others: the real-world corpus
 * (test/fixtures/real-world/cda-wst500, origins and licences in its README). Skipped where the
 * corpus is not present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { convertCdaDocument, type CdaConversion } from '../../../../../src/adapters/cda/index.ts';
import { conditions, diagnosis, observations, requests, textsOf } from './wst500-helpers.ts';

const dir = fileURLToPath(new URL('../../../../fixtures/real-world/cda-wst500/', import.meta.url));
const sample = (name: string): CdaConversion => convertCdaDocument(readFileSync(`${dir}${name}`));

describe.skipIf(!existsSync(dir))('WS/T 500 classes on public samples (real-world corpus)', () => {
  it('西药处方 (a hospital project): two drugs with dose, route and bid; the ICD-10 diagnosis; administrative items out of the record', () => {
    const c = sample('xmap-c0004-western-prescription.xml');
    const drugs = requests(c).map((r) => ({
      drug: r.medicationCodeableConcept?.text,
      dose: r.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity,
      route: r.dosageInstruction?.[0]?.route?.text,
      perDay: r.dosageInstruction?.[0]?.timing?.repeat?.frequency,
    }));
    expect(drugs).toEqual([
      { drug: '甲钴胺片(弥可保)', dose: expect.objectContaining({ value: 0.5, code: 'mg' }), route: '口服', perDay: 2 },
      { drug: '(基)奥卡西平片(曲莱)', dose: expect.objectContaining({ value: 150, code: 'mg' }), route: '口服', perDay: 2 },
    ]);
    expect(conditions(c).map(diagnosis)).toEqual([expect.objectContaining({ code: 'R56.801', text: '癫痫样发作', roles: ['outpatient'] })]);
    expect(observations(c)).toHaveLength(0);
    for (const label of ['处方有效天数', '处方药品组号', '处方药品金额']) expect(textsOf(c)).not.toContain(label);
  });

  it('中药处方 (the standard’s example): the herbal prescription with its 剂数, and 中医病名 with GB/T 15657 codes', () => {
    const c = sample('lzihe-c0005-chinese-herbal-prescription.xml');
    const herbal = requests(c).find((r) => r.dispenseRequest?.quantity?.unit === '剂');
    expect(herbal?.dispenseRequest?.quantity?.value).toBe(4);
    expect(conditions(c).map(diagnosis)).toContainEqual(
      expect.objectContaining({ code: 'BNS130', text: '关格病', system: 'urn:oid:2.16.156.10011.2.3.3.14' }),
    );
  });

  it('入院记录 (the standard’s example): names with nested ICD-10 codes, role from the label (初步/修正/确定/补充诊断) and the document (入院)', () => {
    const dx = conditions(sample('lzihe-c0034-admission-record.xml')).map(diagnosis);
    expect(dx).toContainEqual(
      expect.objectContaining({ code: 'S06.902', text: '伴有侵袭导管内乳头状腺癌', roles: ['admission', 'preliminary'] }),
    );
    expect(dx).toContainEqual(expect.objectContaining({ code: 'S06.902', text: '创伤性脑损伤', roles: ['admission', 'confirmed'] }));
    expect(dx.some((d) => d.roles.includes('revised'))).toBe(true);
    expect(dx.some((d) => d.roles.includes('supplementary'))).toBe(true);
  });

  it('出院记录: an 入院诊断 written in a discharge-diagnosis section keeps its admission role', () => {
    const dx = conditions(sample('lzihe-c0049-discharge-record.xml')).map(diagnosis);
    expect(dx[0]).toMatchObject({ code: 'B95.100', text: 'B族链球菌感染', roles: ['admission'] });
    expect(dx[1]).toMatchObject({ text: '乙状结肠冗长扭转，闭袢性肠梗阻，高血压2级', roles: ['discharge'] });
  });

  it('病案首页: 主要诊断 and 其他诊断 of the discharge diagnoses', () => {
    const roles = conditions(sample('lzihe-c0032-inpatient-front-page.xml')).map((x) => diagnosis(x).roles);
    expect(roles).toContainEqual(['discharge', 'principal']);
    expect(roles).toContainEqual(['discharge', 'other']);
  });

  it('生命体征测量记录: vital signs with Chinese units in UCUM, 腹围 as an examination measurement', () => {
    const obs = observations(sample('lzihe-c0020-vital-signs.xml'));
    const byName = (s: string) => obs.find((o) => o.code.text?.includes(s));
    expect(byName('呼吸频率')?.valueQuantity).toMatchObject({ value: 83, code: '/min' });
    expect(byName('体温')?.valueQuantity).toMatchObject({ value: 36.5, code: 'Cel' });
    expect(byName('收缩压')?.valueQuantity).toMatchObject({ value: 120, code: 'mm[Hg]' });
    expect(byName('腹围')).toMatchObject({ valueQuantity: { value: 50.6, code: 'cm' }, category: [{ coding: [{ code: 'exam' }] }] });
  });

  it('病历概要 (a hospital project): ICD-10 diagnoses and blood group, no fee or date items as observations', () => {
    const c = sample('xmap-c0001-medical-record-summary.xml');
    expect(conditions(c).map((x) => diagnosis(x).code)).toEqual(['N35.900', 'D30.400']);
    expect(observations(c).map((o) => o.valueCodeableConcept?.text)).toEqual(['B型', '阳性']);
    for (const label of ['门诊费用金额', '住院费用金额', '个人承担费用金额']) expect(textsOf(c)).not.toContain(label);
  });
});
