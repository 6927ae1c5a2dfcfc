import { describe, expect, it } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { buildTimeline } from '../../../../../src/main/services/timeline/build-timeline.ts';
import { timeKey } from '../../../../../src/main/services/timeline/clinical-time.ts';

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
      sourced({
        resourceType: 'Encounter',
        id: 'e1',
        status: 'finished',
        class: { code: 'IMP', display: 'inpatient' },
        period: { start: '2023-01-10' },
      }),
      sourced(glucose),
      sourced({
        resourceType: 'Condition',
        id: 'c1',
        subject: { reference: 'Patient/p1' },
        code: { text: '2型糖尿病' },
        onsetDateTime: '2020',
      }),
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

  it('puts undated entries last', () => {
    const entries = buildTimeline([
      sourced({ resourceType: 'AllergyIntolerance', id: 'a1', code: { text: '青霉素' } } as Resource),
      sourced(glucose),
    ]);
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

const lisGlucose = (value: number, id = 'lis-glu-1'): Resource => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'urn:lis:local', code: 'GLU', display: '葡萄糖' }] },
  effectiveDateTime: '2024-05-02T08:00:30+08:00',
  valueQuantity: { value, unit: 'mmol/L' },
  referenceRange: [{ low: { value: 3.9 }, high: { value: 6.1 } }],
});

const cdrGlucoseMgDl: Resource = {
  ...glucose,
  id: 'glu-mg',
  code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
  valueQuantity: { value: 140.5, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
  referenceRange: [{ low: { value: 70 }, high: { value: 110 } }],
};

describe('normalisation', () => {
  it('maps a local LIS code to the canonical LOINC and keeps what was sent', () => {
    const [entry] = buildTimeline([sourced(lisGlucose(7.8), 'lis')]);
    expect(entry!.lab).toMatchObject({
      analyte: 'glucose',
      loinc: '14749-6',
      value: 7.8,
      unit: 'mmol/L',
      low: 3.9,
      high: 6.1,
      original: { code: 'GLU' },
    });
  });

  it('converts mass to substance concentration with the molecular weight, reference range included', () => {
    const [entry] = buildTimeline([sourced(cdrGlucoseMgDl)]);
    expect(entry!.lab).toMatchObject({
      analyte: 'glucose',
      loinc: '14749-6',
      unit: 'mmol/L',
      original: { code: '2345-7', value: 140.5, unit: 'mg/dL' },
    });
    expect(entry!.lab!.value).toBeCloseTo(7.8, 1);
    expect(entry!.lab!.low).toBeCloseTo(3.885, 2);
  });

  it('converts hemoglobin g/dL → g/L, creatinine mg/dL → µmol/L and keeps mEq/L potassium as mmol/L', () => {
    const obs = (id: string, code: string, value: number, unit: string): Resource => ({
      resourceType: 'Observation',
      id,
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code }] },
      effectiveDateTime: `2024-01-0${id.length}`,
      valueQuantity: { value, unit },
    });
    const entries = buildTimeline([
      sourced(obs('h', '718-7', 14.2, 'g/dL')),
      sourced(obs('cr', '2160-0', 1.0, 'mg/dL')),
      sourced(obs('kkk', '2823-3', 4.1, 'mEq/L')),
    ]);
    const by = (loinc: string) => entries.find((e) => e.lab?.loinc === loinc)!.lab!;
    expect(by('718-7')).toMatchObject({ value: 142, unit: 'g/L' });
    expect(by('14682-9').value).toBeCloseTo(88.4, 1);
    expect(by('2823-3')).toMatchObject({ value: 4.1, unit: 'mmol/L' });
  });
});

describe('de-duplication across systems', () => {
  it('the same result from the LIS and the CDR becomes one entry with both provenances', () => {
    const entries = buildTimeline([sourced(cdrGlucoseMgDl, 'cdr'), sourced(lisGlucose(7.8), 'lis')]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.provenance.map((p) => p.sourceId)).toEqual(['cdr', 'lis']);
    expect(entries[0]!.conflicts).toBeUndefined();
  });

  it('disagreeing values are a conflict showing both, never dropped', () => {
    const entries = buildTimeline([sourced(cdrGlucoseMgDl, 'cdr'), sourced(lisGlucose(9.1), 'lis')]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.conflicts).toEqual([
      {
        field: 'value',
        values: [
          { sourceId: 'cdr', sourceName: 'CDR', value: '7.799 mmol/L' },
          { sourceId: 'lis', sourceName: 'LIS', value: '9.1 mmol/L' },
        ],
      },
    ]);
  });

  it('two results of one system at the same minute stay two entries', () => {
    expect(buildTimeline([sourced(lisGlucose(7.8, 'a'), 'lis'), sourced(lisGlucose(7.9, 'b'), 'lis')])).toHaveLength(2);
  });

  it('a third system with the same fact joins the same entry', () => {
    const entries = buildTimeline([sourced(cdrGlucoseMgDl, 'cdr'), sourced(lisGlucose(7.8), 'lis'), sourced(lisGlucose(7.8, 'x'), 'emr')]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.provenance).toHaveLength(3);
  });
});

describe('grouping', () => {
  it('links results to their lab panel and entries to their encounter', () => {
    const encounter: Resource = {
      resourceType: 'Encounter',
      id: 'enc1',
      status: 'finished',
      class: { code: 'AMB' },
      period: { start: '2024-05-02T07:30:00+08:00' },
    };
    const report: Resource = {
      resourceType: 'DiagnosticReport',
      id: 'rep1',
      status: 'final',
      code: { text: '生化' },
      issued: '2024-05-02T09:00:00+08:00',
      result: [{ reference: 'Observation/glu1' }],
      encounter: { reference: 'Encounter/enc1' },
    };
    const obs = { ...glucose, encounter: { reference: 'Encounter/enc1' } } as Resource;
    const entries = buildTimeline([sourced(encounter), sourced(report), sourced(obs)]);
    const glu = entries.find((e) => e.kind === 'observation')!;
    expect(glu.panelId).toBe('cdr:DiagnosticReport/rep1');
    expect(glu.encounterId).toBe('cdr:Encounter/enc1');
    expect(entries.find((e) => e.kind === 'report')!.encounterId).toBe('cdr:Encounter/enc1');
  });

  it('finds the panel through every system merged into a report, by logical id as well as native id', () => {
    const lisObs: Resource = { ...lisGlucose(7.8, 'lis-glu-1') };
    const lisReport: Resource = {
      resourceType: 'DiagnosticReport',
      id: 'lis-rep',
      status: 'final',
      code: { text: '生化' },
      effectiveDateTime: '2024-05-02T08:00:00+08:00',
      result: [{ reference: 'Observation/lis-glu-1' }],
    };
    const cdrReport: Resource = { ...lisReport, id: 'cdr-rep', result: [] };
    // HL7 v2 provenance names segments, not logical ids.
    const v2 = (resource: Resource, nativeId: string): SourcedResource => ({
      ...sourced(resource, 'lis'),
      provenance: { ...sourced(resource, 'lis').provenance, nativeId },
    });
    const entries = buildTimeline([sourced(cdrReport, 'cdr'), v2(lisReport, 'MSG1/OBR/1'), v2(lisObs, 'MSG1/OBX/1')]);
    const report = entries.find((e) => e.kind === 'report')!;
    expect(report.provenance.map((p) => p.sourceId)).toEqual(['cdr', 'lis']);
    expect(entries.find((e) => e.kind === 'observation')!.panelId).toBe(report.id);
  });
});
