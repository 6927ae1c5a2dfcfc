import { describe, expect, it } from 'vitest';
import { classifyDataElement } from '../../../../../src/adapters/cda/wst500/index.ts';
import { conditions, convertFixture, observations, textsOf } from './wst500-helpers.ts';

describe('WS/T 500 data elements that are not findings stay in the document, not in the record', () => {
  it('the table decides by identifier: flags, fees, 组号, 有效天数, 离院方式 are administrative', () => {
    for (const de of [
      'DE06.00.294.00',
      'DE08.50.056.00',
      'DE06.00.196.00',
      'DE06.00.223.00',
      'DE07.00.004.00',
      'DE07.00.099.00',
      'DE09.00.108.00',
      'DE01.00.008.00',
    ]) {
      expect(classifyDataElement(de).kind, de).toBe('administrative');
    }
    expect(classifyDataElement('DE05.01.024.00')).toEqual({ kind: 'diagnosis-code', scheme: 'western' });
    expect(classifyDataElement('DE04.10.186.00')).toMatchObject({ kind: 'measurement', category: 'vital-signs' });
    // Unknown elements are read by their WS 363 part: examination numbers are measurements, the rest narrative.
    expect(classifyDataElement('DE04.10.999.00')).toMatchObject({ kind: 'measurement', category: 'exam', numericOnly: true });
    expect(classifyDataElement('DE02.10.999.00')).toEqual({ kind: 'finding' });
  });

  it('西药处方: 处方有效天数, 处方药品组号, 处方备注 and 处方药品金额 become no resource, but show in the document', () => {
    const c = convertFixture('western-prescription-c0004.xml');
    expect(observations(c)).toHaveLength(0);
    for (const label of ['处方有效天数', '处方药品组号', '饭后服用', '56.40']) expect(textsOf(c)).not.toContain(label);
    expect(c.html).toContain('处方有效天数');
    expect(c.html).toContain('处方药品金额');
  });

  it('出院小结 and 病案首页: 离院方式 is no diagnosis, 实际住院天数 / 住院次数 / fees are no observation', () => {
    const summary = convertFixture('discharge-summary-c0053.xml');
    expect(conditions(summary).map((x) => x.code?.text)).not.toContain('医嘱离院');
    expect(observations(summary)).toHaveLength(0);
    const frontPage = convertFixture('inpatient-front-page-c0032.xml');
    expect(observations(frontPage)).toHaveLength(0);
    expect(conditions(frontPage)).toHaveLength(2);
    for (const label of ['医嘱离院', '住院总费用', '23456.78', '城镇职工']) expect(textsOf(frontPage)).not.toContain(label);
  });

  it('门急诊病历 and 入院记录: 初诊标志 and history flags are no record entries; vital signs are, with LOINC and UCUM', () => {
    expect(textsOf(convertFixture('outpatient-record-c0002.xml'))).not.toContain('初诊');
    const c = convertFixture('admission-record-c0034.xml');
    const obs = observations(c);
    expect(obs.map((o) => o.code.coding?.[0]?.code)).toEqual(['8310-5', '8867-4', '8480-6', '8462-4', '29463-7']);
    expect(obs.every((o) => o.category?.[0]?.coding?.[0]?.code === 'vital-signs')).toBe(true);
    expect(obs[0]?.valueQuantity).toEqual({ value: 38.6, unit: '℃', system: 'http://unitsofmeasure.org', code: 'Cel' });
    // 脉率 sent without a unit: the unit its definition fixes (次/min).
    expect(obs[1]?.valueQuantity).toMatchObject({ value: 96, code: '/min' });
    expect(textsOf(c)).not.toContain('一般健康状况标志');
    expect(textsOf(c)).not.toContain('陈述内容可靠标志');
  });
});

describe('WS/T 500 检验 organizer: the result is named by its item', () => {
  it('检验报告: item 葡萄糖, 7.8 in 毫摩尔/升 (UCUM mmol/L), flagged 异常, at the item time', () => {
    const [glucose, ...rest] = observations(convertFixture('lab-report-c0007.xml'));
    expect(rest).toHaveLength(0);
    expect(glucose?.code.text).toBe('葡萄糖');
    expect(glucose?.code.coding?.[0]).toMatchObject({ code: 'GLU' });
    expect(glucose?.category?.[0]?.coding?.[0]?.code).toBe('laboratory');
    expect(glucose?.valueQuantity).toEqual({ value: 7.8, unit: '毫摩尔/升', system: 'http://unitsofmeasure.org', code: 'mmol/L' });
    expect(glucose?.interpretation?.[0]?.text).toBe('异常');
    expect(glucose?.effectiveDateTime).toBe('2024-03-12T08:30:00+08:00');
  });
});
