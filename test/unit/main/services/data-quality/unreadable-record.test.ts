/**
 * A FHIR server's record whose fields are not of their FHIR type (adapters pass records on as
 * sent): it cost the patient's whole timeline (a TypeError out of the build, the open failed).
 * Now it costs that record, named as a finding; every other record is built as before.
 */
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { buildCheckedTimeline } from '../../../../../src/main/services/data-quality/index.ts';

function sourced(resource: unknown, sourceId = 'cdr'): SourcedResource {
  const r = resource as Resource;
  return {
    resource: r,
    provenance: {
      sourceId,
      sourceName: sourceId.toUpperCase(),
      sourceKind: 'fhir',
      nativeId: `${r.resourceType}/${r.id}`,
      messageType: 'FHIR search',
      fetchedAt: '2026-11-25T10:00:00Z',
    },
  };
}

const penicillin = {
  resourceType: 'AllergyIntolerance',
  id: 'ok-allergy',
  code: { coding: [{ system: 'http://snomed.info/sct', code: '764146007', display: 'Penicillin' }] },
  criticality: 'high',
};
const glucose = {
  resourceType: 'Observation',
  id: 'ok-glucose',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }], text: '葡萄糖' },
  effectiveDateTime: '2026-11-20T08:00:00+08:00',
  valueQuantity: { value: 7.8, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
};

/** Shapes a lax or broken server sends, each a field of another type than FHIR's. */
const MALFORMED: [string, Record<string, unknown>][] = [
  [
    'a string where codings belong',
    { resourceType: 'Condition', id: 'bad-1', clinicalStatus: { coding: 'active' }, code: { coding: 'E11' } },
  ],
  [
    'a number and null among codings, reactions as a string',
    { resourceType: 'AllergyIntolerance', id: 'bad-2', code: { coding: [null, 3] }, reaction: 'rash' },
  ],
  [
    'a dosage object where a list belongs, a number as text',
    {
      resourceType: 'MedicationRequest',
      id: 'bad-3',
      status: 'active',
      medicationCodeableConcept: { text: 7 },
      dosageInstruction: { text: 'x' },
    },
  ],
  [
    'an object as a time, interpretation as a string',
    { resourceType: 'Observation', id: 'bad-4', status: 'final', code: { text: 'K' }, effectiveDateTime: { at: 1 }, interpretation: 'H' },
  ],
];

describe('a record whose fields are not of their FHIR type', () => {
  for (const [name, bad] of MALFORMED) {
    for (const order of ['first', 'last'] as const) {
      it(`${name} (${order}): left off the timeline with an unreadable-record finding; the others are built`, () => {
        const good = [sourced(penicillin), sourced(glucose, 'lis')];
        const items = order === 'first' ? [sourced(bad), ...good] : [...good, sourced(bad)];
        const { entries, recordFindings } = buildCheckedTimeline(items);
        expect(entries.map((e) => e.resource.id).sort()).toEqual(['ok-allergy', 'ok-glucose']);
        expect(recordFindings).toContainEqual({
          code: 'unreadable-record',
          severity: 'error',
          sourceId: 'cdr',
          resourceType: bad.resourceType,
          field: bad.resourceType,
        });
      });
    }
  }

  it('a Patient whose fields are not of their FHIR type: named, the timeline built', () => {
    for (const patient of [
      { resourceType: 'Patient', id: 'p1', name: 'x', identifier: 'y', birthDate: 5 },
      { resourceType: 'Patient', id: 'p2', identifier: [null, 3, { value: 7, system: 9 }], name: [{ given: 'a', family: 3 }] },
    ]) {
      const { entries, recordFindings } = buildCheckedTimeline([sourced(patient), sourced(glucose, 'lis')]);
      expect(entries.map((e) => e.resource.id)).toEqual(['ok-glucose']);
      expect(recordFindings).toContainEqual(
        expect.objectContaining({ code: 'unreadable-record', resourceType: 'Patient', sourceId: 'cdr' }),
      );
    }
  });

  it('the same record from two systems, one of them malformed: the readable one stays', () => {
    const twin = { ...penicillin, id: 'emr-allergy', reaction: 'rash' };
    const { entries, recordFindings } = buildCheckedTimeline([sourced(penicillin), sourced(twin, 'emr')]);
    expect(entries.filter((e) => e.kind === 'allergy')).toHaveLength(1);
    expect(entries[0]!.provenance.map((p) => p.sourceId)).toEqual(['cdr']);
    expect(recordFindings.map((f) => `${f.code}:${f.sourceId}`)).toEqual(['unreadable-record:emr']);
  });
});
