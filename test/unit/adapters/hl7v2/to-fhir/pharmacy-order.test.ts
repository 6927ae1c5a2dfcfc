// HIS pharmacy orders → MedicationRequest (issue 16): public samples written by others
// (origins in test/fixtures/hl7v2/README.md) and generated Chinese HIS orders.
import { readFileSync } from 'node:fs';
import type { Bundle, MedicationRequest, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { convertHl7v2ToBundle } from '../../../../../src/adapters/hl7v2/to-fhir/to-bundle.ts';

const fixture = (path: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../../../fixtures/hl7v2/${path}`, import.meta.url)));
const orders = (b: Bundle): MedicationRequest[] =>
  (b.entry ?? []).map((e) => e.resource).filter((r): r is MedicationRequest & Resource => r?.resourceType === 'MedicationRequest');
const bytes = (segments: string[]): Uint8Array => new TextEncoder().encode(segments.join('\r'));

/** A generated HIS order (synthetic patient): 阿托伐他汀钙片 20 mg QN PO, placer/filler numbers, TQ1 timing. */
const hisOrder = (control: string, orderStatus: string, controlId: string, drug = 'Y0001^阿托伐他汀钙片 20mg^HIS') =>
  bytes([
    `MSH|^~\\&|DEMO-HIS|DEMO-HOSP|HUIZHEN|WARD|20261207083000||RDE^O11^RDE_O11|${controlId}|P|2.5.1|||AL|NE||UNICODE UTF-8`,
    'PID|1||D000001^^^DEMO-HIS^MR||测试^患者甲||19600101|M',
    'PV1|1|I|NEURO^12^1',
    `ORC|${control}|P-7001^DEMO-HIS|F-9001^PHARM||${orderStatus}||||20261201090000|||D001^医生^甲`,
    'TQ1|1||QN^每晚一次^HL70335|||||20261201210000',
    `RXE||${drug}|20||mg^mg^UCUM|TAB^片^HL70292|^睡前服用|||30|TAB^片|2`,
    'RXR|PO^口服^HL70162',
  ]);

describe('RDE^O11 from other libraries’ test suites', () => {
  it('FHIR-Converter sample (v2.8): RXE supersedes the RXO of its order; NDC code, UCUM dose, route, TQ1 timing, placer number', () => {
    const rx = orders(convertHl7v2ToBundle(fixture('fhir-converter/RDE-O11-01.hl7')));
    // One ORC group: the RXO (requested) and the RXE (pharmacy encoded) are one order.
    expect(rx).toHaveLength(1);
    const [order] = rx;
    expect(order?.status).toBe('active');
    expect(order?.medicationCodeableConcept?.coding?.[0]).toMatchObject({ system: 'http://hl7.org/fhir/sid/ndc', code: '0143963401' });
    expect(order?.medicationCodeableConcept?.text).toMatch(/niCARdipine/);
    expect(order?.identifier?.find((i) => i.type?.coding?.[0]?.code === 'PLAC')?.value).toBe('1163422591');
    expect(order?.authoredOn).toBe('2019-11-04T06:27:26+02:15');
    const dosage = order?.dosageInstruction?.[0];
    expect(dosage?.doseAndRate?.[0]?.doseQuantity).toMatchObject({
      value: 5,
      unit: 'mg/hr',
      system: 'http://unitsofmeasure.org',
      code: 'mg/h',
    });
    expect(dosage?.route?.coding?.[0]).toMatchObject({ code: 'IV' });
    expect(dosage?.timing?.repeat?.boundsPeriod).toEqual({ start: '2019-11-04T10:30:00+02:15', end: '2019-11-04T11:30:00+02:15' });
  });

  it('nHapi sample (v2.5.1): ORC-5 outside table 0038 falls back to ORC-1 NW; uncoded drug kept as local code with its name; RXE-32 time; route text', () => {
    const [order] = orders(convertHl7v2ToBundle(fixture('nhapi/rde-o11-v251.hl7')));
    expect(order?.status).toBe('active');
    expect(order?.medicationCodeableConcept).toMatchObject({
      coding: [{ code: '54569-4888-0', display: 'Oseltamivir' }],
      text: 'Oseltamivir',
    });
    expect(order?.medicationCodeableConcept?.coding?.[0]?.system).toMatch(/^urn:huizhen:hl7v2:local:/);
    expect(order?.authoredOn).toBe('2010-12-17T18:45:00+08:00');
    expect(order?.dosageInstruction?.[0]?.route?.text).toBe('Oral');
    expect(order?.dosageInstruction?.[0]?.text).toContain('po bid x 5d');
    expect(order?.dosageInstruction?.[0]?.timing?.repeat?.boundsPeriod?.start).toBe('2010-12-17T18:45:00+08:00');
    expect(order?.dispenseRequest).toMatchObject({ quantity: { value: 10 }, numberOfRepeatsAllowed: 0 });
    expect(order?.subject.reference).toMatch(/^Patient\//);
  });
});

describe('generated HIS pharmacy orders', () => {
  it('NW: dose in UCUM, QN as a nightly timing, route, placer and filler numbers, requester, dispense', () => {
    const [order] = orders(convertHl7v2ToBundle(hisOrder('NW', 'IP', 'M1')));
    expect(order).toMatchObject({
      status: 'active',
      intent: 'order',
      authoredOn: '2026-12-01T09:00:00+08:00',
      requester: { display: '医生甲' },
      medicationCodeableConcept: { coding: [{ code: 'Y0001', display: '阿托伐他汀钙片 20mg' }], text: '阿托伐他汀钙片 20mg' },
    });
    expect(order?.identifier?.map((i) => [i.type?.coding?.[0]?.code, i.value])).toEqual([
      ['PLAC', 'P-7001'],
      ['FILL', 'F-9001'],
    ]);
    const dosage = order?.dosageInstruction?.[0];
    expect(dosage?.doseAndRate?.[0]?.doseQuantity).toEqual({ value: 20, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' });
    expect(dosage?.timing?.repeat).toMatchObject({ frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] });
    expect(dosage?.timing?.code?.text).toBe('每晚一次');
    expect(dosage?.route).toMatchObject({ coding: [{ code: 'PO', display: '口服' }], text: '口服' });
    expect(dosage?.text).toBe('20 mg 每晚一次 口服 睡前服用');
    expect(order?.dispenseRequest).toMatchObject({ quantity: { value: 30, unit: '片' }, numberOfRepeatsAllowed: 2 });
  });

  it.each([
    ['DC', 'IP', 'stopped'],
    ['DC', '', 'stopped'],
    ['CA', 'CA', 'cancelled'],
    ['OC', '', 'cancelled'],
    ['SC', 'CM', 'completed'],
    ['SC', 'IP', 'active'],
    ['NW', '', 'active'],
    ['SC', 'HD', 'on-hold'],
  ])('ORC-1 %s with ORC-5 "%s" → %s', (control, state, expected) => {
    expect(orders(convertHl7v2ToBundle(hisOrder(control, state, `S-${control}-${state}`)))[0]?.status).toBe(expected);
  });

  it('a later DC of the same order names the same MedicationRequest (same filler number, another message)', () => {
    const [placed] = orders(convertHl7v2ToBundle(hisOrder('NW', 'IP', 'A1')));
    const [stopped] = orders(convertHl7v2ToBundle(hisOrder('DC', 'DC', 'A2')));
    expect(stopped?.id).toBe(placed?.id);
    expect(stopped?.status).toBe('stopped');
  });

  it('OMP^O09: ORC, TQ1 and RXO with RXR → one order at the requested dose; interval and PRN patterns', () => {
    const omp = (pattern: string) =>
      bytes([
        'MSH|^~\\&|DEMO-HIS|DEMO-HOSP|HUIZHEN|WARD|20261207083000||OMP^O09^OMP_O09|O-' + pattern + '|P|2.5.1',
        'PID|1||D000002^^^DEMO-HIS^MR||测试^患者乙||19700101|F',
        'ORC|NW|P-8001^DEMO-HIS||||||||20261202080000',
        `TQ1|1||${pattern}`,
        'RXO|A0001^对乙酰氨基酚片 0.5g^HIS|0.5|1|g^g^UCUM',
        'RXR|PO^口服^HL70162',
      ]);
    const [q8h] = orders(convertHl7v2ToBundle(omp('Q8H')));
    expect(q8h?.dosageInstruction?.[0]?.timing?.repeat).toMatchObject({ frequency: 1, period: 8, periodUnit: 'h' });
    expect(q8h?.dosageInstruction?.[0]?.timing?.code?.coding?.[0]).toMatchObject({ code: 'Q8H' });
    expect(q8h?.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseRange).toMatchObject({
      low: { value: 0.5, code: 'g' },
      high: { value: 1, code: 'g' },
    });
    const [prn] = orders(convertHl7v2ToBundle(omp('PRN')));
    expect(prn?.dosageInstruction?.[0]?.asNeededBoolean).toBe(true);
    expect(prn?.dosageInstruction?.[0]?.timing?.repeat).toBeUndefined();
  });
});

describe('order timing in ORC-7 (the TQ of ORM^O01 and RXO-only orders, before TQ1)', () => {
  const ormOrder = (orc7: string, rx: string, tq1?: string) =>
    orders(
      convertHl7v2ToBundle(
        bytes([
          'MSH|^~\\&|DEMO-HIS|DEMO-HOSP|HUIZHEN|WARD|20261207083000||ORM^O01|T1|P|2.4',
          'PID|1||D000002^^^DEMO-HIS^MR||测试^患者乙||19600101|F',
          `ORC|NW|P-7002^DEMO-HIS|||||${orc7}|||20261201090000`,
          ...(tq1 ? [tq1] : []),
          rx,
        ]),
      ),
    )[0]?.dosageInstruction?.[0]?.timing;

  it.each([
    ['a repeat code', '1^Q6H^D10^20261201', 'RXO|Y0002^头孢呋辛^HIS|500||mg', { frequency: 1, period: 6, periodUnit: 'h' }, 'Q6H'],
    ['a named pattern (TID)', '^TID^^20261201', 'RXO|Y0003^二甲双胍^HIS|0.5||g', { frequency: 3, period: 1, periodUnit: 'd' }, 'TID'],
    [
      'words only (LinuxForHealth’s ORM^O01)',
      '^3 times daily^^20210401',
      'RXO|50111032701^hydrALAZINE HCl 25 MG Oral Tablet^NDC',
      undefined,
      '3 times daily',
    ],
  ])('ORC-7 with %s gives the order its frequency', (_shape, orc7, rx, repeat, text) => {
    const timing = ormOrder(orc7, rx);
    expect(timing?.code?.text).toBe(text);
    if (repeat) expect(timing?.repeat).toMatchObject(repeat);
    expect(timing?.repeat?.boundsPeriod?.start).toMatch(/^20(26-12|21-04)-01/);
  });

  it('TQ1 and RXE-1 outrank ORC-7; an empty ORC-7 gives no timing', () => {
    expect(ormOrder('^TID', 'RXO|Y0003^二甲双胍^HIS|0.5||g', 'TQ1|1||BID^每日两次^HL70335')?.code?.text).toBe('每日两次');
    expect(ormOrder('^TID', 'RXE|^QD|Y0003^二甲双胍^HIS|0.5||g')?.repeat).toMatchObject({ frequency: 1, period: 1, periodUnit: 'd' });
    expect(ormOrder('', 'RXO|Y0003^二甲双胍^HIS|0.5||g')).toBeUndefined();
  });
});
