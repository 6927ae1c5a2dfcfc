// Imaging orders (ORM^O01, OMI^O23) → ServiceRequest, the order's clinical indication a radiologist
// reads before any report (issue 18): a public sample written by others (origin in
// test/fixtures/hl7v2/README.md) and generated Chinese HIS/RIS orders (synthetic patients).
import { readFileSync } from 'node:fs';
import type { Bundle, Resource, ServiceRequest } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { convertHl7v2ToBundle } from '../../../../../src/adapters/hl7v2/to-fhir/to-bundle.ts';

const fixture = (path: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../../../fixtures/hl7v2/${path}`, import.meta.url)));
const bytes = (segments: string[]): Uint8Array => new TextEncoder().encode(segments.join('\r'));
const typed = <T extends Resource>(b: Bundle, type: T['resourceType']): T[] =>
  (b.entry ?? []).map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
const id = (order: ServiceRequest | undefined, code: string) => order?.identifier?.find((i) => i.type?.coding?.[0]?.code === code)?.value;

/** A segment from its numbered fields, so no field lands one pipe off. */
const segment = (name: string, fields: Record<number, string>): string => {
  const last = Math.max(...Object.keys(fields).map(Number));
  return [name, ...Array.from({ length: last }, (_, i) => fields[i + 1] ?? '')].join('|');
};

const STUDY_UID = '2.25.118962357818063542617414406302441325491';

/** A generated HIS imaging order (ORM^O01 v2.4): OBR-31 reason, OBR-13 clinical information, OBR-16 ordering doctor, OBR-18 accession. */
const hisOrm = (control = 'NW', status = 'SC') =>
  bytes([
    'MSH|^~\\&|DEMO-HIS|DEMO-HOSP|HUIZHEN|RAD|20260301101500+0800||ORM^O01|HISRAD0001|P|2.4|||AL|NE||UNICODE UTF-8',
    'PID|1||D000002^^^DEMO-HIS^MR||测试^患者乙||19700505|F',
    'PV1|1|O|NEURO^^^^^DEMO',
    `ORC|${control}|RAD-7001^DEMO-HIS|RIS-9001^DEMO-RIS||${status}||||20260301101000+0800|||D002^医生^乙`,
    segment('OBR', {
      1: '1',
      2: 'RAD-7001^DEMO-HIS',
      3: 'RIS-9001^DEMO-RIS',
      4: 'MR0101^头颅MR平扫^HIS',
      6: '20260301101000+0800',
      13: '头晕 2 周，高血压病史 10 年~无 MR 禁忌',
      16: 'D003^神经^内科',
      18: 'A202600042',
      24: 'NMR',
      31: 'R42^头晕和眩晕^I10~I10^原发性高血压^I10',
    }),
  ]);

describe('ORM^O01 from another library’s samples', () => {
  it('FHIR-Converter sample (v2.6): two imaging orders become two ServiceRequests, never reports; ORC ids, ORC-9 time, OBR-16 requester', () => {
    const bundle = convertHl7v2ToBundle(fixture('fhir-converter/ORM-O01-03.hl7'));
    // An order is a request: nothing in it was found yet, so no DiagnosticReport may appear.
    expect(typed(bundle, 'DiagnosticReport')).toEqual([]);
    const orders = typed<ServiceRequest>(bundle, 'ServiceRequest');
    expect(orders).toHaveLength(2);
    const [ct, mr] = orders;
    expect(ct?.code?.coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: '24725-4' });
    expect(mr?.code?.text).toBe('MR Brain');
    expect(id(ct, 'PLAC')).toBe('1101');
    expect(id(mr, 'FILL')).toBe('2301');
    expect(ct?.authoredOn).toBe('2021-10-20T11:26:00+02:15');
    expect(ct?.requester?.display).toBe('ROBIN RAD');
    expect(ct?.status).toBe('active');
    expect(ct?.intent).toBe('order');
    expect(ct?.subject?.reference).toMatch(/^Patient\//);
    expect(ct?.id).not.toBe(mr?.id);
    // No OBR-31 and no OBR-13 in the sample: nothing is made up.
    expect(ct?.reasonCode).toBeUndefined();
    expect(ct?.note).toBeUndefined();
  });
});

describe('generated Chinese imaging orders', () => {
  it('ORM^O01: OBR-31 reasons coded, OBR-13 repetitions as notes, OBR-16 requester, OBR-18 accession, ORC-9 time', () => {
    const [order] = typed<ServiceRequest>(convertHl7v2ToBundle(hisOrm()), 'ServiceRequest');
    expect(order?.reasonCode).toEqual([
      { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'R42', display: '头晕和眩晕' }], text: '头晕和眩晕' },
      { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'I10', display: '原发性高血压' }], text: '原发性高血压' },
    ]);
    expect(order?.note).toEqual([{ text: '头晕 2 周，高血压病史 10 年' }, { text: '无 MR 禁忌' }]);
    expect(order?.requester?.display).toBe('神经内科');
    expect(id(order, 'ACSN')).toBe('A202600042');
    expect(order?.authoredOn).toBe('2026-03-01T10:10:00+08:00');
    expect(order?.code?.text).toBe('头颅MR平扫');
    expect(order?.category?.[0]?.coding?.[0]).toMatchObject({ code: 'NMR' });
  });

  it('the ordering doctor falls back to ORC-12 when OBR-16 is empty; a cancel revokes the order', () => {
    const message = hisOrm('CA', 'CA');
    const text = new TextDecoder().decode(message).replace('|D003^神经^内科|', '||');
    const [order] = typed<ServiceRequest>(convertHl7v2ToBundle(new TextEncoder().encode(text)), 'ServiceRequest');
    expect(order?.requester?.display).toBe('医生乙');
    expect(order?.status).toBe('revoked');
  });

  it('OMI^O23: IPC-1 accession and IPC-3 Study Instance UID name the study the modality will write', () => {
    const bundle = convertHl7v2ToBundle(
      bytes([
        'MSH|^~\\&|DEMO-RIS|DEMO-HOSP|PACS|RAD|20260302090000+0800||OMI^O23^OMI_O23|RIS0002|P|2.5.1|||AL|NE||UNICODE UTF-8',
        'PID|1||D000003^^^DEMO-HIS^MR||测试^患者丙||19550202|M',
        'ORC|NW|RAD-7002^DEMO-HIS|RIS-9002^DEMO-RIS||SC||||20260302085500+0800|||D004^医生^丙',
        'TQ1|1||||||20260302100000+0800',
        segment('OBR', { 1: '1', 2: 'RAD-7002^DEMO-HIS', 3: 'RIS-9002^DEMO-RIS', 4: 'CT0201^胸部CT平扫^HIS', 31: '^咳嗽 1 周，发热' }),
        `IPC|A202600043^DEMO-RIS|RP-1|${STUDY_UID}|SPS-1|CT^Computed Tomography^DCM`,
      ]),
    );
    expect(typed(bundle, 'DiagnosticReport')).toEqual([]);
    const [order] = typed<ServiceRequest>(bundle, 'ServiceRequest');
    expect(id(order, 'ACSN')).toBe('A202600043');
    expect(order?.identifier?.find((i) => i.system === 'urn:dicom:uid')?.value).toBe(`urn:oid:${STUDY_UID}`);
    expect(order?.reasonCode?.[0]?.text).toBe('咳嗽 1 周，发热');
    expect(order?.requester?.display).toBe('医生丙');
  });

  it('an ORU^R01 with the same order numbers reports on it: the report is basedOn the order the ORM made', () => {
    const orm = typed<ServiceRequest>(convertHl7v2ToBundle(hisOrm()), 'ServiceRequest')[0];
    const oru = convertHl7v2ToBundle(
      bytes([
        'MSH|^~\\&|DEMO-HIS|DEMO-HOSP|HUIZHEN|RAD|20260301160000+0800||ORU^R01|HISRAD0002|P|2.4|||AL|NE||UNICODE UTF-8',
        'PID|1||D000002^^^DEMO-HIS^MR||测试^患者乙||19700505|F',
        segment('OBR', {
          1: '1',
          2: 'RAD-7001^DEMO-HIS',
          3: 'RIS-9001^DEMO-RIS',
          4: 'MR0101^头颅MR平扫^HIS',
          18: 'A202600042',
          24: 'NMR',
          25: 'F',
          31: 'R42^头晕和眩晕^I10',
        }),
        'OBX|1|TX|IMP^印象^HIS||未见明显异常||||||F',
      ]),
    );
    const report = typed(oru, 'DiagnosticReport')[0] as { basedOn?: { reference?: string }[] } | undefined;
    expect(report?.basedOn?.[0]?.reference).toBe(`ServiceRequest/${orm?.id ?? '-'}`);
  });
});
