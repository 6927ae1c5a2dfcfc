// Reconciliation (issue 16): problems, allergies and drugs from several systems become one
// entry each, with every provenance; "active" against "resolved"/"stopped" is a conflict.
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { buildTimeline } from '../../../../../src/main/services/timeline/build-timeline.ts';

const sourced = (resource: Resource, sourceId: string): SourcedResource => ({
  resource,
  provenance: {
    sourceId,
    sourceName: sourceId.toUpperCase(),
    sourceKind: sourceId === 'cdr' ? 'fhir' : 'cda',
    nativeId: `${resource.resourceType}/${resource.id}`,
    fetchedAt: '2026-11-25T10:00:00Z',
  },
});
const ATC = 'http://www.whocc.no/atc';
const order = (id: string, drug: Record<string, unknown>, status = 'active', authoredOn = '2019-03-25T10:08:00+08:00') =>
  ({
    resourceType: 'MedicationRequest',
    id,
    status,
    intent: 'order',
    subject: { reference: 'Patient/p' },
    medicationCodeableConcept: drug,
    authoredOn,
  }) as Resource;
const statement = (id: string, drug: Record<string, unknown>, status = 'active', effectiveDateTime = '2021-02-04T08:11:00+08:00') =>
  ({
    resourceType: 'MedicationStatement',
    id,
    status,
    subject: { reference: 'Patient/p' },
    medicationCodeableConcept: drug,
    effectiveDateTime,
  }) as Resource;
const condition = (id: string, code: string, status: string, onsetDateTime: string, text = '肺炎') =>
  ({
    resourceType: 'Condition',
    id,
    subject: { reference: 'Patient/p' },
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: status }] },
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code }], text },
    onsetDateTime,
  }) as Resource;
const allergy = (id: string, extra: Record<string, unknown>) =>
  ({
    resourceType: 'AllergyIntolerance',
    id,
    patient: { reference: 'Patient/p' },
    clinicalStatus: { coding: [{ code: 'active' }] },
    ...extra,
  }) as Resource;
const sources = (e: { provenance: { sourceId: string }[] }) => e.provenance.map((p) => p.sourceId);

describe('medications reconcile across systems', () => {
  it('the same drug by code (an order in the CDR, a statement in the EMR, years apart) is one entry with both provenances', () => {
    const metformin = { coding: [{ system: ATC, code: 'A10BA02', display: '二甲双胍片 Metformin 500 mg' }] };
    const entries = buildTimeline([sourced(order('o1', metformin), 'cdr'), sourced(statement('s1', metformin), 'emr')]);
    expect(entries).toHaveLength(1);
    expect(sources(entries[0]!)).toEqual(['cdr', 'emr']);
    expect(entries[0]!.conflicts).toBeUndefined();
  });

  it('a code system spelled as an OID (CDA) is the same system', () => {
    const entries = buildTimeline([
      sourced(order('o1', { coding: [{ system: ATC, code: 'C08CA01' }], text: '氨氯地平片 5 mg' }), 'cdr'),
      sourced(statement('s1', { coding: [{ system: 'urn:oid:2.16.840.1.113883.6.73', code: 'C08CA01' }], text: 'Amlodipine 5mg' }), 'emr'),
    ]);
    expect(entries).toHaveLength(1);
  });

  it('different codes, the same normalised name and strength (0.5 g = 500 mg, form and salt aside) are one drug', () => {
    const entries = buildTimeline([
      sourced(order('o1', { coding: [{ system: ATC, code: 'A10BA02' }], text: '盐酸二甲双胍片 0.5 g' }), 'cdr'),
      sourced(
        statement('s1', { coding: [{ system: 'urn:his:local-formulary', code: 'YP00123' }], text: 'Metformin HCl tablets 500mg' }),
        'emr',
      ),
    ]);
    expect(entries).toHaveLength(1);
    expect(sources(entries[0]!)).toEqual(['cdr', 'emr']);
  });

  it('an unlisted drug reconciles by its own words and strength; another strength stays apart', () => {
    const entries = buildTimeline([
      sourced(order('o1', { coding: [{ system: 'urn:a', code: '1' }], text: '格列美脲片 2 mg' }), 'cdr'),
      sourced(statement('s1', { coding: [{ system: 'urn:b', code: '9' }], text: '格列美脲 2mg' }), 'emr'),
      sourced(statement('s2', { coding: [{ system: 'urn:b', code: '8' }], text: '格列美脲 4mg' }), 'emr'),
    ]);
    expect(entries.map((e) => e.provenance.length).sort()).toEqual([1, 2]);
  });

  it('different drugs never merge; two orders of one system stay two', () => {
    const entries = buildTimeline([
      sourced(order('o1', { coding: [{ system: ATC, code: 'A10BA02' }], text: '二甲双胍 500 mg' }), 'cdr'),
      sourced(order('o2', { coding: [{ system: ATC, code: 'A10BA02' }], text: '二甲双胍 500 mg' }, 'active', '2023-01-01'), 'cdr'),
      sourced(statement('s1', { coding: [{ system: ATC, code: 'C10AA05' }], text: '阿托伐他汀 20 mg' }), 'emr'),
    ]);
    expect(entries).toHaveLength(3);
  });

  it('active in one system and stopped in another is a status conflict with both values', () => {
    const drug = { coding: [{ system: ATC, code: 'C10AA05' }], text: '阿托伐他汀钙片 20 mg' };
    const [entry] = buildTimeline([sourced(order('o1', drug, 'active'), 'cdr'), sourced(statement('s1', drug, 'stopped'), 'emr')]);
    expect(entry!.conflicts).toEqual([
      {
        field: 'status',
        values: [
          { sourceId: 'cdr', sourceName: 'CDR', value: 'active' },
          { sourceId: 'emr', sourceName: 'EMR', value: 'stopped' },
        ],
      },
    ]);
  });

  it('"stopped" against "completed" is no conflict (both say it is over)', () => {
    const drug = { coding: [{ system: ATC, code: 'C10AA05' }] };
    const [entry] = buildTimeline([sourced(order('o1', drug, 'stopped'), 'cdr'), sourced(statement('s1', drug, 'completed'), 'emr')]);
    expect(entry!.conflicts).toBeUndefined();
  });

  it("thousands of one system's orders of one drug stay apart; another system's record joins the first", () => {
    const drug = { coding: [{ system: ATC, code: 'A10BA02' }], text: '二甲双胍 500 mg' };
    const orders = Array.from({ length: 3000 }, (_, i) =>
      sourced(order(`o${i}`, drug, 'active', new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString()), 'his'),
    );
    const entries = buildTimeline([...orders, sourced(statement('s1', drug), 'emr')]);
    expect(entries).toHaveLength(3000);
    expect(entries.find((e) => e.provenance.length === 2)?.id).toBe('his:MedicationRequest/o0');
  });

  it('a drug named only by an unresolved reference never merges', () => {
    const ref = (id: string) =>
      ({
        resourceType: 'MedicationRequest',
        id,
        status: 'active',
        intent: 'order',
        subject: {},
        medicationReference: { reference: 'Medication/1' },
        authoredOn: '2024-01-01',
      }) as Resource;
    expect(buildTimeline([sourced(ref('a'), 'cdr'), sourced(ref('b'), 'his')])).toHaveLength(2);
  });
});

describe('problems reconcile across systems', () => {
  it('the same condition from two systems (different days) is one entry; active against resolved is a conflict', () => {
    const entries = buildTimeline([
      sourced(condition('c1', 'J18.9', 'resolved', '2021-01-27T08:11:00+08:00'), 'cdr'),
      sourced(condition('c2', 'J18.9', 'active', '2021-02-04T08:11:00+08:00'), 'emr'),
    ]);
    expect(entries).toHaveLength(1);
    expect(sources(entries[0]!)).toEqual(['cdr', 'emr']);
    expect(entries[0]!.conflicts).toEqual([
      {
        field: 'status',
        values: [
          { sourceId: 'cdr', sourceName: 'CDR', value: 'resolved' },
          { sourceId: 'emr', sourceName: 'EMR', value: 'active' },
        ],
      },
      {
        field: 'onset',
        values: [
          { sourceId: 'cdr', sourceName: 'CDR', value: '2021-01-27T08:11:00+08:00' },
          { sourceId: 'emr', sourceName: 'EMR', value: '2021-02-04T08:11:00+08:00' },
        ],
      },
    ]);
  });

  it('agreeing statuses and onsets merge without a conflict; different codes worded alike stay apart', () => {
    const entries = buildTimeline([
      sourced(condition('c1', 'E11.9', 'active', '2019-03-25', '2型糖尿病'), 'cdr'),
      sourced(condition('c2', 'E11.9', 'active', '2019-03-25T10:00:00+08:00', '2型糖尿病'), 'emr'),
      sourced(condition('c3', 'E11.65', 'active', '2021-02-04', '糖尿病'), 'emr'),
    ]);
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e.conflicts === undefined)).toBe(true);
  });

  it('uncoded conditions merge by their words (width, case and spacing aside)', () => {
    const text = (id: string, t: string) =>
      ({ resourceType: 'Condition', id, subject: {}, code: { text: t }, onsetDateTime: '2020' }) as Resource;
    expect(
      buildTimeline([sourced(text('a', 'Essential Hypertension'), 'cdr'), sourced(text('b', 'essential  hypertension'), 'emr')]),
    ).toHaveLength(1);
  });
});

describe('allergies reconcile across systems', () => {
  const penicillin = { coding: [{ system: ATC, code: 'J01CA' }], text: '青霉素类' };

  it('the same allergen by code is one entry with both provenances', () => {
    const entries = buildTimeline([
      sourced(allergy('a1', { code: penicillin, criticality: 'high', recordedDate: '2019-03-25' }), 'cdr'),
      sourced(allergy('a2', { code: penicillin, recordedDate: '2021-01-27' }), 'emr'),
    ]);
    expect(entries).toHaveLength(1);
    expect(sources(entries[0]!)).toEqual(['cdr', 'emr']);
  });

  it('a criticality that differs where one says high is kept as a conflict (the high one is never lost)', () => {
    const [entry] = buildTimeline([
      sourced(allergy('a1', { code: penicillin, recordedDate: '2019-03-25' }), 'cdr'),
      sourced(allergy('a2', { code: penicillin, criticality: 'high', recordedDate: '2021-01-27' }), 'emr'),
    ]);
    expect(entry!.conflicts).toEqual([
      {
        field: 'criticality',
        values: [
          { sourceId: 'cdr', sourceName: 'CDR', value: '' },
          { sourceId: 'emr', sourceName: 'EMR', value: 'high' },
        ],
      },
    ]);
  });

  it('"no known allergies" from two systems is one entry, and apart from a real allergy', () => {
    const nka = { coding: [{ system: 'http://snomed.info/sct', code: '716186003', display: 'No known allergy' }] };
    const entries = buildTimeline([
      sourced(allergy('n1', { code: nka, recordedDate: '2019-03-25' }), 'cdr'),
      sourced(
        allergy('n2', { code: { coding: [{ system: 'urn:oid:2.16.840.1.113883.6.96', code: '716186003' }] }, recordedDate: '2021-01-27' }),
        'emr',
      ),
      sourced(allergy('a1', { code: penicillin, recordedDate: '2021-01-27' }), 'emr'),
    ]);
    expect(entries.map((e) => e.provenance.length).sort()).toEqual([1, 2]);
  });

  it('an allergy resolved in one system and active in another is a status conflict', () => {
    const [entry] = buildTimeline([
      sourced(allergy('a1', { code: penicillin }), 'cdr'),
      sourced(allergy('a2', { code: penicillin, clinicalStatus: { coding: [{ code: 'resolved' }] } }), 'emr'),
    ]);
    expect(entry!.conflicts?.[0]?.field).toBe('status');
  });
});
