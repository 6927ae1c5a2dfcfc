import { describe, expect, it } from 'vitest';
import type { AllergyIntolerance, Condition } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { recordsInSourceOrder } from '../../../../../src/main/services/patient-record/records-in-source-order.ts';
import { buildTimeline } from '../../../../../src/main/services/timeline/index.ts';
import type { SourcePatientRef } from '../../../../../src/shared/domain/source.ts';

const fetchedAt = '2026-12-07T08:00:00Z';
const penicillin = { coding: [{ system: 'http://snomed.info/sct', code: '764146007' }], text: '青霉素类' };

function allergy(sourceId: string, criticality?: AllergyIntolerance['criticality']): SourcedResource {
  const resource: AllergyIntolerance = {
    resourceType: 'AllergyIntolerance',
    id: `a-${sourceId}`,
    patient: { reference: 'Patient/p' },
    code: penicillin,
    ...(criticality ? { criticality } : {}),
  };
  return {
    resource,
    provenance: { sourceId, sourceName: sourceId, sourceKind: 'fhir', nativeId: `AllergyIntolerance/a-${sourceId}`, fetchedAt },
  };
}

function problem(sourceId: string, onset: string): SourcedResource {
  const resource: Condition = {
    resourceType: 'Condition',
    id: `c-${sourceId}`,
    subject: { reference: 'Patient/p' },
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'E11.9' }], text: '2型糖尿病' },
    onsetDateTime: onset,
  };
  return { resource, provenance: { sourceId, sourceName: sourceId, sourceKind: 'fhir', nativeId: `Condition/c-${sourceId}`, fetchedAt } };
}

const configured = new Map([
  ['cdr', {}],
  ['emr', {}],
  ['his', {}],
]);
const refs: SourcePatientRef[] = [
  { sourceId: 'emr', sourcePatientId: 'E1' },
  { sourceId: 'cdr', sourcePatientId: 'C1' },
];

describe('recordsInSourceOrder', () => {
  it('lists the systems in the configuration order, whatever order they answered in', () => {
    const emrFirst = new Map([
      ['emr/E1', [allergy('emr')]],
      ['cdr/C1', [allergy('cdr', 'low')]],
    ]);
    const cdrFirst = new Map([...emrFirst].reverse());
    const a = recordsInSourceOrder(emrFirst, refs, configured).map((r) => r.provenance.sourceId);
    const b = recordsInSourceOrder(cdrFirst, refs, configured).map((r) => r.provenance.sourceId);
    expect(a).toEqual(['cdr', 'emr']);
    expect(b).toEqual(a);
  });

  it('gives the same merged record (allergy criticality, onset) whichever system answered first', () => {
    const parts = (order: 'emr' | 'cdr') => {
      const emr: [string, SourcedResource[]] = ['emr/E1', [allergy('emr'), problem('emr', '2021-02-04T08:11:00+08:00')]];
      const cdr: [string, SourcedResource[]] = ['cdr/C1', [allergy('cdr', 'low'), problem('cdr', '2019-03-25T09:38:00+08:00')]];
      return new Map(order === 'emr' ? [emr, cdr] : [cdr, emr]);
    };
    const view = (order: 'emr' | 'cdr') =>
      buildTimeline(recordsInSourceOrder(parts(order), refs, configured)).map((e) => ({
        kind: e.kind,
        title: e.title,
        clinicalTime: e.clinicalTime,
        criticality: (e.resource as AllergyIntolerance).criticality,
        sources: e.provenance.map((p) => p.sourceId),
      }));
    const emrFirst = view('emr');
    expect(view('cdr')).toEqual(emrFirst);
    expect(emrFirst.find((e) => e.kind === 'allergy')).toMatchObject({ criticality: 'low', sources: ['cdr', 'emr'] });
  });

  it('keeps a part no ref names, after the named ones', () => {
    const parts = new Map([
      ['his/H1', [allergy('his')]],
      ['cdr/C1', [allergy('cdr')]],
    ]);
    expect(recordsInSourceOrder(parts, [{ sourceId: 'cdr', sourcePatientId: 'C1' }], configured).map((r) => r.provenance.sourceId)).toEqual(
      ['cdr', 'his'],
    );
  });
});
