import type { Provenance } from '../../../src/shared/domain/provenance.ts';
import type { TimelineEntry } from '../../../src/shared/domain/timeline.ts';

export const CDR: Provenance = {
  sourceId: 'cdr',
  sourceName: 'CDR',
  sourceKind: 'fhir',
  nativeId: 'Observation/1',
  messageType: 'FHIR search',
  fetchedAt: '2024-03-05T10:00:00Z',
};
export const LIS: Provenance = {
  sourceId: 'lis',
  sourceName: 'LIS',
  sourceKind: 'hl7v2',
  nativeId: 'OBX-1',
  messageType: 'ORU^R01',
  fetchedAt: '2024-03-05T10:00:00Z',
};

export function entry(id: string, clinicalTime: string | undefined, extra: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    id,
    kind: 'observation',
    ...(clinicalTime ? { clinicalTime } : {}),
    title: `t-${id}`,
    codes: [],
    provenance: [CDR],
    resource: { resourceType: 'Observation' } as TimelineEntry['resource'],
    ...extra,
  };
}

/** A glucose result as the CDR sends it (mg/dL) after normalisation to mmol/L. */
export function glucose(id: string, clinicalTime: string, mgdl: number, extra: Partial<TimelineEntry> = {}): TimelineEntry {
  const mmol = Math.round((mgdl / 18.0156) * 1000) / 1000;
  return entry(id, clinicalTime, {
    title: '葡萄糖',
    summary: `${mgdl} mg/dL`,
    lab: {
      analyte: 'glucose',
      loinc: '14749-6',
      value: mmol,
      unit: 'mmol/L',
      low: 3.886,
      high: 5.495,
      original: { code: '2345-7', value: mgdl, unit: 'mg/dL' },
    },
    ...extra,
  });
}
