import { describe, expect, it } from 'vitest';
import type { Observation, Resource } from '@medplum/fhirtypes';
import { toWireEntry } from '../../../../../src/main/services/access/wire-entries.ts';
import type { TimelineEntry } from '../../../../../src/shared/domain/timeline.ts';

const provenance = [
  { sourceId: 'cdr', sourceName: 'CDR', sourceKind: 'fhir' as const, nativeId: 'Observation/1', fetchedAt: '2026-01-01T00:00:00Z' },
];

function entryOf(kind: TimelineEntry['kind'], resource: Resource): TimelineEntry {
  return { id: `cdr:${resource.resourceType}/1`, kind, title: 't', codes: [], provenance, resource };
}

describe('toWireEntry', () => {
  it('sends a result with the parts of its resource the screens read, and says so', () => {
    const observation: Observation = {
      resourceType: 'Observation',
      id: '1',
      status: 'final',
      category: [{ coding: [{ code: 'vital-signs' }] }],
      interpretation: [{ coding: [{ code: 'HH' }] }],
      code: { text: '心率' },
      subject: { reference: 'Patient/p', display: '张伟' },
      valueQuantity: { value: 130, unit: '/min' },
      note: [{ text: '患者张伟自述心悸' }],
    };
    const wire = toWireEntry(entryOf('observation', observation));
    expect(wire.resourceSummary).toBe(true);
    expect(wire.resource).toEqual({
      resourceType: 'Observation',
      id: '1',
      category: observation.category,
      interpretation: observation.interpretation,
    });
    expect(JSON.stringify(wire)).not.toContain('张伟');
  });

  it('sends encounters, documents and imaging studies whole: their screens render from them', () => {
    for (const [kind, resource] of [
      ['encounter', { resourceType: 'Encounter', id: '1', status: 'finished', class: { code: 'IMP' } }],
      ['document', { resourceType: 'DocumentReference', id: '1', status: 'current', content: [] }],
      ['imaging', { resourceType: 'ImagingStudy', id: '1', status: 'available', subject: { reference: 'Patient/p' } }],
    ] as const) {
      const entry = entryOf(kind, resource as Resource);
      expect(toWireEntry(entry)).toBe(entry);
    }
  });
});
