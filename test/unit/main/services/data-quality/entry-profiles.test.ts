/**
 * Entries of one source, type, coding and units share what their code and units yield (worked
 * out once per build): what each entry's own values yield must still be its own, and a mapping
 * of the hospital's must count every entry that used it, not only the first.
 */
import type { DiagnosticReport, Observation, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { buildCheckedTimeline } from '../../../../../src/main/services/data-quality/index.ts';
import { labCodeUsage, useLabCodeMappings } from '../../../../../src/main/services/timeline/index.ts';

const NOW = new Date('2026-06-01T00:00:00Z');

function sourced(resource: Resource, sourceId = 'lis'): SourcedResource {
  return {
    resource,
    provenance: {
      sourceId,
      sourceName: sourceId.toUpperCase(),
      sourceKind: 'fhir',
      nativeId: `${resource.resourceType}/${resource.id ?? ''}`,
      fetchedAt: NOW.toISOString(),
    },
  };
}

const potassium = (id: string, value: number, over: Partial<Observation> = {}): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  subject: { reference: 'Patient/1' },
  effectiveDateTime: `2026-05-0${id.length}T08:00:00Z`,
  code: { coding: [{ system: 'http://loinc.org', code: '2823-3' }] },
  valueQuantity: { value, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
  ...over,
});

const codesOf = (items: SourcedResource[]) =>
  Object.fromEntries(
    buildCheckedTimeline(items, NOW).entries.map((e) => [e.id, (e.quality ?? []).map((f) => `${f.code}:${f.params?.side ?? ''}`)]),
  );

describe('entry profiles', () => {
  it('results of one coding and unit keep their own value, time and subject findings', () => {
    const found = codesOf([
      sourced(potassium('a', 4.1)),
      sourced(potassium('bb', 40)),
      sourced(potassium('ccc', 0.1, { subject: undefined })),
      sourced(potassium('dddd', 4.2, { effectiveDateTime: '2027-01-01T00:00:00Z' })),
      sourced(potassium('eeeee', 4.3, { valueQuantity: undefined, valueString: '4.3' })),
      sourced(potassium('ffffff', 4.4)),
    ]);
    expect(found).toEqual({
      'lis:Observation/a': [],
      'lis:Observation/bb': ['implausible-value:high'],
      'lis:Observation/ccc': ['missing-subject:', 'implausible-value:low'],
      'lis:Observation/dddd': ['future-date:'],
      'lis:Observation/eeeee': ['numeric-as-text:'],
      'lis:Observation/ffffff': [],
    });
  });

  it('the same results from two sources are two sets of findings, each naming its source', () => {
    const { entries } = buildCheckedTimeline([sourced(potassium('a', 40), 'lis'), sourced(potassium('bb', 40, { id: 'b' }), 'cdr')], NOW);
    expect(entries.flatMap((e) => (e.quality ?? []).map((f) => f.sourceId)).sort()).toEqual(['cdr', 'lis']);
  });

  it("a hospital's mapping of a report code counts each report that used it", () => {
    const report = (id: string): DiagnosticReport => ({
      resourceType: 'DiagnosticReport',
      id,
      status: 'final',
      subject: { reference: 'Patient/1' },
      effectiveDateTime: `2026-05-0${id.length}T08:00:00Z`,
      code: { coding: [{ system: 'urn:lis:local', code: 'VS-ADM' }] },
    });
    try {
      useLabCodeMappings([{ code: 'VS-ADM', loinc: '85353-1' }]);
      const found = codesOf([sourced(report('a')), sourced(report('bb')), sourced(report('ccc'))]);
      expect(Object.values(found).flat()).toEqual([]);
      expect(labCodeUsage().find((e) => e.origin === 'configured')?.uses).toBe(3);
      buildCheckedTimeline([sourced(report('a'))], NOW);
      expect(labCodeUsage().find((e) => e.origin === 'configured')?.uses).toBe(4);
    } finally {
      useLabCodeMappings([]);
    }
  });
});
