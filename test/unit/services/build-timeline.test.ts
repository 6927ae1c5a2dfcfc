import { describe, expect, it } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../src/adapters/source-adapter.ts';
import { buildTimeline } from '../../../src/main/services/timeline/build-timeline.ts';
import { timeKey } from '../../../src/main/services/timeline/clinical-time.ts';

function sourced(resource: Resource, sourceId = 'cdr'): SourcedResource {
  return {
    resource,
    provenance: {
      sourceId,
      sourceName: sourceId.toUpperCase(),
      sourceKind: 'fhir',
      nativeId: `${resource.resourceType}/${resource.id}`,
      messageType: 'FHIR search',
      fetchedAt: '2026-11-25T10:00:00Z',
    },
  };
}

const glucose: Resource = {
  resourceType: 'Observation',
  id: 'glu1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' }], text: '葡萄糖' },
  effectiveDateTime: '2024-05-02T08:00:00+08:00',
  valueQuantity: { value: 7.8, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
  interpretation: [{ coding: [{ code: 'H' }] }],
};

describe('buildTimeline', () => {
  it('orders entries newest first by clinical time across resource types', () => {
    const entries = buildTimeline([
      sourced({ resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'IMP', display: 'inpatient' }, period: { start: '2023-01-10' } }),
      sourced(glucose),
      sourced({ resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' }, code: { text: '2型糖尿病' }, onsetDateTime: '2020' }),
    ]);
    expect(entries.map((e) => e.kind)).toEqual(['observation', 'encounter', 'condition']);
  });

  it('describes a lab result with its value, unit, abnormal flag, codes and provenance', () => {
    const [entry] = buildTimeline([sourced(glucose)]);
    expect(entry).toMatchObject({
      id: 'cdr:Observation/glu1',
      title: '葡萄糖',
      summary: '7.8 mmol/L',
      abnormal: true,
      clinicalTime: '2024-05-02T08:00:00+08:00',
      codes: [{ system: 'http://loinc.org', code: '2345-7' }],
      provenance: [{ sourceId: 'cdr', messageType: 'FHIR search' }],
    });
  });

  it('leaves out demographic and context resources and collapses a record delivered twice', () => {
    const entries = buildTimeline([sourced({ resourceType: 'Patient', id: 'p1' }), sourced(glucose), sourced(glucose)]);
    expect(entries).toHaveLength(1);
  });

  it('keeps the same record from two systems as two entries until de-duplication lands', () => {
    expect(buildTimeline([sourced(glucose, 'cdr'), sourced(glucose, 'lis')])).toHaveLength(2);
  });

  it('puts undated entries last', () => {
    const entries = buildTimeline([sourced({ resourceType: 'AllergyIntolerance', id: 'a1', code: { text: '青霉素' } } as Resource), sourced(glucose)]);
    expect(entries.map((e) => e.kind)).toEqual(['observation', 'allergy']);
  });
});

describe('timeKey', () => {
  it('sorts partial FHIR dates at their first instant', () => {
    expect(timeKey('2021')).toBe(Date.parse('2021-01-01'));
    expect(timeKey('2021-03')).toBe(Date.parse('2021-03-01'));
    expect(timeKey(undefined)).toBe(Number.NEGATIVE_INFINITY);
    expect(timeKey('garbage')).toBe(Number.NEGATIVE_INFINITY);
  });
});
