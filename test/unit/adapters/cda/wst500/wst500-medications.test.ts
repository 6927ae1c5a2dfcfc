import { describe, expect, it } from 'vitest';
import { convertFixture, requests, statements } from './wst500-helpers.ts';

describe('WS/T 500 drugs → MedicationRequest / MedicationStatement with dose, frequency, route and course', () => {
  it('西药处方: each drug is a MedicationRequest; dose, route and frequency (rateQuantity "qd") in dosageInstruction, total in dispenseRequest', () => {
    const [amlodipine] = requests(convertFixture('western-prescription-c0004.xml'));
    expect(amlodipine?.medicationCodeableConcept).toMatchObject({ text: '苯磺酸氨氯地平片', coding: [{ code: '86900001' }] });
    expect(amlodipine?.intent).toBe('order');
    const d = amlodipine?.dosageInstruction?.[0];
    expect(d?.doseAndRate?.[0]?.doseQuantity).toEqual({ value: 5, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' });
    expect(d?.route?.text).toBe('口服');
    expect(d?.timing?.repeat).toMatchObject({ frequency: 1, period: 1, periodUnit: 'd' });
    expect(d?.text).toBe('5 mg 口服 qd');
    expect(amlodipine?.dispenseRequest?.quantity).toMatchObject({ value: 70, unit: 'mg' });
    expect(amlodipine?.authoredOn).toBe('2024-03-20T10:15:00+08:00');
  });

  it('西药处方: route, frequency and dose unit given as nested data elements; the course as a width', () => {
    const metformin = requests(convertFixture('western-prescription-c0004.xml'))[1];
    const d = metformin?.dosageInstruction?.[0];
    expect(metformin?.medicationCodeableConcept?.text).toBe('盐酸二甲双胍片');
    expect(d?.doseAndRate?.[0]?.doseQuantity).toMatchObject({ value: 0.5, unit: 'g', code: 'g' });
    expect(d?.route?.text).toBe('口服');
    expect(d?.timing?.repeat).toMatchObject({ frequency: 2, period: 1, periodUnit: 'd', boundsDuration: { value: 14, code: 'd' } });
    expect(d?.timing?.code?.text).toBe('每日两次');
  });

  it('中药处方: the 中药饮片处方 is one MedicationRequest with the herbs, 剂数 and the way to take it', () => {
    const [herbal] = requests(convertFixture('herbal-prescription-c0005.xml'));
    expect(herbal?.medicationCodeableConcept?.text).toBe('酸枣仁15g 茯苓12g 知母10g 川芎6g 甘草6g');
    expect(herbal?.dispenseRequest?.quantity).toEqual({ value: 7, unit: '剂' });
    expect(herbal?.dosageInstruction?.[0]).toMatchObject({
      patientInstruction: '每日一剂，分早晚两次温服',
      additionalInstruction: [{ text: '水煎' }],
    });
  });

  it('住院医嘱: a drug order item is a MedicationRequest with its text and period; a 检查 item is not', () => {
    const orders = requests(convertFixture('inpatient-orders-c0052.xml'));
    // The third item: written as <observation classCode="CLUSTER">, typed only by code 01 (药品类医嘱).
    expect(orders.map((o) => o.medicationCodeableConcept?.text)).toEqual([expect.stringContaining('头孢呋辛钠'), '艾司唑仑片 1mg 口服 qn']);
    expect(orders[0]?.medicationCodeableConcept?.text).toContain('头孢呋辛钠 1.5g');
    expect(orders[0]?.dosageInstruction?.[0]?.timing?.repeat?.boundsPeriod).toEqual({
      start: '2024-03-11T08:00:00+08:00',
      end: '2024-03-15T08:00:00+08:00',
    });
    expect(orders[0]?.authoredOn).toBe('2024-03-11T07:30:00+08:00');
  });

  it('出院小结 用药: what was taken is a MedicationStatement with dose, route, tid and its course', () => {
    const c = convertFixture('discharge-summary-c0053.xml');
    expect(requests(c)).toHaveLength(0);
    const [amoxicillin] = statements(c);
    expect(amoxicillin?.medicationCodeableConcept?.text).toBe('阿莫西林胶囊');
    expect(amoxicillin?.effectivePeriod).toEqual({ start: '2024-03-10', end: '2024-03-17' });
    const d = amoxicillin?.dosage?.[0];
    expect(d?.doseAndRate?.[0]?.doseQuantity).toMatchObject({ value: 0.5, unit: 'g' });
    expect(d?.route?.text).toBe('口服');
    expect(d?.timing?.repeat).toMatchObject({ frequency: 3, period: 1, periodUnit: 'd' });
  });
});
