/** The bad-data mode's records, checked without servers: each injected defect is exactly one finding, the rest clean. */
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { SourcedResource } from '../../../../src/adapters/source-adapter.ts';
import { badDataSet, type InjectedDefect } from '../../../../src/demo-hospital/bad-data/injected-defects.ts';
import { buildCheckedTimeline } from '../../../../src/main/services/data-quality/index.ts';
import { QualityCodeSchema, type QualityFinding } from '../../../../src/shared/domain/quality.ts';

const NOW = new Date('2026-06-01T00:00:00Z');

function sourced(resource: Resource): SourcedResource {
  return {
    resource,
    provenance: {
      sourceId: 'cdr',
      sourceName: 'CDR',
      sourceKind: 'fhir',
      nativeId: `${resource.resourceType}/${resource.id ?? ''}`,
      fetchedAt: NOW.toISOString(),
    },
  };
}

/** A finding as the manifest states it: where (the record) and what. */
const key = (record: string, f: Pick<QualityFinding, 'code' | 'field' | 'params'>) =>
  JSON.stringify([record, f.code, f.field, f.params ?? {}]);
const expected = (d: InjectedDefect) => key(d.record, d);

describe('the demo hospital bad-data mode', () => {
  it('every injected defect is found, and nothing else, on each patient', () => {
    const set = badDataSet();
    for (const p of set.patients) {
      const mine = (r: Resource) =>
        r.resourceType === 'Patient' ? r.id === p.fhirId : JSON.stringify(r).includes(`"Patient/${p.fhirId}"`);
      const items = [...set.resources.filter(mine), ...(set.everythingExtras.get(p.fhirId) ?? [])].map(sourced);
      const { entries, recordFindings } = buildCheckedTimeline(items, NOW);
      const found = [
        ...entries.flatMap((e) => (e.quality ?? []).map((f) => key(e.id.slice('cdr:'.length), f))),
        ...recordFindings.map((f) => key(`Patient/${p.fhirId}`, f)),
      ].sort();
      const injected = set.manifest
        .filter((d) => d.patientMrn === p.mrn)
        .map(expected)
        .sort();
      expect(found, p.mrn).toEqual(injected);
      expect(injected.length === 0).toBe(p.clean);
    }
  });

  it('covers every defect kind the demo is asked to inject, and the same seed gives the same set', () => {
    const set = badDataSet(7);
    // Every kind but the value conflict, which needs a second system (the demo's CDR and platform disagree).
    // Not injected: partial answers (a platform's warnings: hl7v3-answer-warnings.test.ts) and unreadable
    // records (a record of the wrong shape: unreadable-record.test.ts, readable-patient.test.ts).
    expect(new Set(set.manifest.map((d) => d.code))).toEqual(
      new Set(QualityCodeSchema.options.filter((c) => c !== 'value-conflict' && c !== 'partial-answer' && c !== 'unreadable-record')),
    );
    expect(badDataSet(7)).toEqual(set);
    expect(badDataSet(8).manifest).not.toEqual(set.manifest);
    expect(set.patients.filter((p) => p.clean)).toHaveLength(1);
  });
});
