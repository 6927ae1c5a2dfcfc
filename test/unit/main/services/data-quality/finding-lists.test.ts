/** Shared finding lists: entries with the same findings hold one frozen array, not one each. */
import type { Observation, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { buildCheckedTimeline } from '../../../../../src/main/services/data-quality/index.ts';
import { FindingLists } from '../../../../../src/main/services/data-quality/finding-lists.ts';
import type { QualityFinding } from '../../../../../src/shared/domain/quality.ts';

const finding = (code: QualityFinding['code']): QualityFinding =>
  Object.freeze({ code, severity: 'warning', sourceId: 'lis', resourceType: 'Observation', field: 'Observation.x' });

describe('FindingLists', () => {
  it('one frozen list per distinct content; a head alone is returned as it is; joins are remembered', () => {
    const lists = new FindingLists();
    const [a, b] = [finding('missing-time'), finding('future-date')];
    const head = Object.freeze([a]);
    const buffer = [b, a];
    const one = lists.of(head, buffer, 1);
    expect(one).toEqual([a, b]);
    expect(Object.isFrozen(one)).toBe(true);
    buffer[0] = b;
    expect(lists.of(head, buffer, 1)).toBe(one);
    expect(lists.of(head, buffer, 0)).toBe(head);
    expect(lists.of(Object.freeze([]), [a, b], 2)).toEqual([a, b]);
    const other = Object.freeze([b]);
    expect(lists.joined(head, other)).toBe(lists.joined(head, other));
    expect(lists.joined(head, other)).toEqual([a, b]);
  });

  it('in a build, results with the same defect share one array', () => {
    const item = (id: string, value: number): SourcedResource => {
      const resource: Observation = {
        resourceType: 'Observation',
        id,
        status: 'final',
        subject: { reference: 'Patient/1' },
        effectiveDateTime: '2026-05-01T08:00:00Z',
        code: { coding: [{ system: 'http://loinc.org', code: '2823-3' }] },
        valueQuantity: { value, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
      };
      return {
        resource: resource as Resource,
        provenance: {
          sourceId: 'lis',
          sourceName: 'LIS',
          sourceKind: 'fhir',
          nativeId: `Observation/${id}`,
          fetchedAt: '2026-05-01T08:00:00Z',
        },
      };
    };
    const { entries } = buildCheckedTimeline([item('a', 40), item('b', 50), item('c', 4)], new Date('2026-06-01T00:00:00Z'));
    const [x, y] = entries.filter((e) => e.quality !== undefined);
    expect(x!.quality).toBe(y!.quality);
    expect(x!.quality!.map((f) => f.code)).toEqual(['implausible-value']);
  });
});
