import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../../../src/shared/domain/fhir.ts';
import type { TimelineEntry } from '../../../../../src/shared/domain/timeline.ts';
import { countAbnormalEntries, sourceJudgedResults } from '../../../../../src/main/services/worklist/result-judge.ts';

const observation = (over: Partial<Observation> = {}): Observation => ({
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'K' },
  ...over,
});
const entry = (lab: TimelineEntry['lab'], resource: Observation = observation()): TimelineEntry =>
  ({
    id: `e${Math.random()}`,
    kind: 'observation',
    title: 'K',
    provenance: [],
    resource,
    ...(lab ? { lab } : {}),
  }) as unknown as TimelineEntry;

describe('abnormal results on the worklist', () => {
  it('counts a source flag, a value outside its reported range, and a value at a configured critical limit', () => {
    const flagged = entry({ value: 4.0, low: 3.5, high: 5.3 }, observation({ interpretation: [{ coding: [{ code: 'H' }] }] }));
    const outOfRange = entry({ value: 5.9, low: 3.5, high: 5.3, unit: 'mmol/L', loinc: '2823-3' });
    // No range sent and no flag: only the configured limit (here: everything at or above 6.2) says so.
    const atLimit = entry({ value: 6.4, unit: 'mmol/L', loinc: '2823-3' });
    const normal = entry({ value: 4.1, low: 3.5, high: 5.3 });
    const isCritical = (e: TimelineEntry) => (e.lab?.value ?? 0) >= 6.2;
    expect(countAbnormalEntries([flagged, outOfRange, atLimit, normal], isCritical)).toBe(3);
    expect(countAbnormalEntries([flagged, outOfRange, atLimit, normal], () => false)).toBe(2);
  });

  it('without the alerts service: the flags and the results’ own ranges in their own unit', () => {
    const q = (value: number, unit = 'mmol/L') =>
      observation({
        valueQuantity: { value, unit },
        referenceRange: [{ low: { value: 3.5, unit: 'mmol/L' }, high: { value: 5.3, unit: 'mmol/L' } }],
      });
    const judged = sourceJudgedResults({
      refs: [],
      newRecords: [],
      newResults: [q(6), q(4), q(60, 'mg/dL'), observation({ interpretation: [{ coding: [{ code: 'LL' }] }] })],
    });
    expect(judged).toEqual({ abnormal: 2, critical: 1 });
  });
});
