// The order behind a study, linked without any report (issue 18): a radiologist reads most studies
// before their report exists. Generated entries in the shapes the adapters produce.
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../../src/shared/domain/timeline.ts';
import { ordersForStudy, studyOrders } from '../../../../src/shared/domain/imaging-order-link.ts';

const UID = '1.2.840.113619.2.55.3.1';
const OTHER_UID = '1.2.840.113619.2.55.3.2';
const ACSN = { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN' }] } };

function entry(
  id: string,
  kind: TimelineEntry['kind'],
  resource: Record<string, unknown>,
  source = 'cdr',
  messageType?: string,
): TimelineEntry {
  return {
    id,
    kind,
    title: id,
    codes: [],
    provenance: [
      {
        sourceId: source,
        sourceName: source === 'his' ? 'HIS 医院信息系统' : source === 'pacs' ? 'PACS 影像归档' : 'CDR 临床数据中心',
        sourceKind: source === 'his' ? 'hl7v2' : source === 'pacs' ? 'dicomweb' : 'fhir',
        nativeId: `${String(resource['resourceType'])}/${id}`,
        ...(messageType ? { messageType } : {}),
        fetchedAt: '2025-05-21T00:00:00Z',
      },
    ],
    resource: resource as unknown as TimelineEntry['resource'],
  };
}

const study = (extra: Record<string, unknown> = {}) =>
  entry(
    'study',
    'imaging',
    {
      resourceType: 'ImagingStudy',
      id: UID,
      identifier: [
        { system: 'urn:dicom:uid', value: `urn:oid:${UID}` },
        { ...ACSN, value: 'A1' },
      ],
      ...extra,
    },
    'pacs',
  );

const condition = entry('c1', 'condition', {
  resourceType: 'Condition',
  id: 'c1',
  code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'I10', display: '原发性高血压' }] },
});

const fhirOrder = (extra: Record<string, unknown>) =>
  entry('sr1', 'other', {
    resourceType: 'ServiceRequest',
    id: 'sr1',
    status: 'active',
    intent: 'order',
    code: { text: '头颅MR平扫' },
    authoredOn: '2023-09-04T16:20:00+08:00',
    requester: { display: '李心内 主治医师' },
    reasonCode: [{ text: '头晕 2 周' }],
    reasonReference: [{ reference: 'Condition/c1' }],
    note: [{ text: '无 MR 禁忌' }],
    ...extra,
  });

describe('ordersForStudy', () => {
  it('links a FHIR ServiceRequest by accession number, with every piece of the order and its source', () => {
    const [order, ...rest] = ordersForStudy(UID, [study()], [study(), condition, fhirOrder({ identifier: [{ ...ACSN, value: 'A1' }] })]);
    expect(rest).toEqual([]);
    expect(order).toEqual({
      entryId: 'sr1',
      matchedBy: ['accession'],
      indication: ['头晕 2 周', '原发性高血压'],
      clinicalInfo: ['无 MR 禁忌'],
      procedure: '头颅MR平扫',
      requester: '李心内 主治医师',
      orderedAt: '2023-09-04T16:20:00+08:00',
      sources: [{ sourceId: 'cdr', sourceName: 'CDR 临床数据中心', sourceKind: 'fhir', nativeId: 'ServiceRequest/sr1' }],
    });
  });

  it('links by the study’s basedOn and by a Study Instance UID the order carries (an OMI’s IPC-3)', () => {
    const based = ordersForStudy(UID, [study({ basedOn: [{ reference: 'ServiceRequest/sr1' }] })], [condition, fhirOrder({})]);
    expect(based[0]?.matchedBy).toEqual(['based-on']);
    const byUid = ordersForStudy(UID, [study()], [fhirOrder({ identifier: [{ system: 'urn:dicom:uid', value: `urn:oid:${UID}` }] })]);
    expect(byUid[0]?.matchedBy).toEqual(['study-uid']);
  });

  it('follows the study’s report to the order it names (basedOn), as the report link does, so both find the same order', () => {
    const report = (extra: Record<string, unknown>) =>
      entry('dr1', 'report', {
        resourceType: 'DiagnosticReport',
        id: 'dr1',
        imagingStudy: [{ identifier: { system: 'urn:dicom:uid', value: `urn:oid:${UID}` } }],
        basedOn: [{ reference: 'ServiceRequest/sr1' }],
        ...extra,
      });
    // The order carries no key of the study: only the report leads to it.
    const [order, ...rest] = ordersForStudy(UID, [study()], [study(), report({}), condition, fhirOrder({})]);
    expect(rest).toEqual([]);
    expect(order?.matchedBy).toEqual(['report-based-on']);
    expect(order?.indication).toEqual(['头晕 2 周', '原发性高血压']);
    // Named by the study and its report alike: both said.
    const both = ordersForStudy(UID, [study({ basedOn: [{ reference: 'ServiceRequest/sr1' }] })], [report({}), fhirOrder({})]);
    expect(both[0]?.matchedBy).toEqual(['based-on', 'report-based-on']);
    // Another study's report leads nowhere here.
    const other = report({ imagingStudy: [{ identifier: { system: 'urn:dicom:uid', value: `urn:oid:${OTHER_UID}` } }] });
    expect(ordersForStudy(UID, [study()], [other, fhirOrder({})])).toEqual([]);
  });

  it('does not take an order on its accession alone when its UID names another study (accessions collide across RIS)', () => {
    const order = fhirOrder({
      identifier: [
        { ...ACSN, value: 'A1' },
        { system: 'urn:dicom:uid', value: OTHER_UID },
      ],
    });
    expect(ordersForStudy(UID, [study()], [order])).toEqual([]);
  });

  it('names the HL7 v2 message that carried an HIS order', () => {
    const his = entry(
      'sr2',
      'other',
      { resourceType: 'ServiceRequest', id: 'sr2', identifier: [{ ...ACSN, value: 'A1' }], reasonCode: [{ text: '咳嗽' }] },
      'his',
      'ORM^O01',
    );
    const [order] = ordersForStudy(UID, [study()], [his]);
    expect(order?.sources[0]).toMatchObject({ sourceId: 'his', messageType: 'ORM^O01' });
    expect(order?.requester).toBeUndefined();
  });

  it('falls back to the study’s own DICOM order attributes only when no order links', () => {
    const withWords = study({ reasonCode: [{ text: '咯血 3 天' }], referrer: { display: '王伟' }, note: [{ text: '原发性高血压' }] });
    expect(ordersForStudy(UID, [withWords], [withWords])).toEqual([
      {
        entryId: 'study',
        matchedBy: ['study-attributes'],
        indication: ['咯血 3 天'],
        clinicalInfo: ['原发性高血压'],
        requester: '王伟',
        sources: [{ sourceId: 'pacs', sourceName: 'PACS 影像归档', sourceKind: 'dicomweb', nativeId: 'ImagingStudy/study' }],
      },
    ]);
    const order = fhirOrder({ identifier: [{ ...ACSN, value: 'A1' }] });
    expect(ordersForStudy(UID, [withWords], [withWords, order]).map((o) => o.entryId)).toEqual(['sr1']);
    // A study with no order words is no order.
    expect(ordersForStudy(UID, [study()], [study()])).toEqual([]);
  });

  it('studyOrders keys every study of a record by its UID, orders newest first', () => {
    const older = entry('sr0', 'other', {
      resourceType: 'ServiceRequest',
      id: 'sr0',
      identifier: [{ ...ACSN, value: 'A1' }],
      authoredOn: '2020-01-01',
      reasonCode: [{ text: '旧' }],
    });
    const byStudy = studyOrders([study(), older, fhirOrder({ identifier: [{ ...ACSN, value: 'A1' }] })]);
    expect([...byStudy.keys()]).toEqual([UID]);
    expect(byStudy.get(UID)?.map((o) => o.entryId)).toEqual(['sr1', 'sr0']);
  });
});
