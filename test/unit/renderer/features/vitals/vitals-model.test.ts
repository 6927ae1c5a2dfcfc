import { describe, expect, it } from 'vitest';
import type { Provenance } from '../../../../../src/shared/domain/provenance.ts';
import type { TimelineEntry } from '../../../../../src/shared/domain/timeline.ts';
import { buildVitalsFlowsheet, hasVitalSigns } from '../../../../../src/renderer/features/vitals/vitals-model.ts';
import { normaliseVital } from '../../../../../src/renderer/features/vitals/vital-units.ts';
import { CDR, entry, LIS } from '../../fixtures.ts';

// Clinical times without a zone are local times, so days and slots do not depend on the machine's zone.
const EMR: Provenance = {
  sourceId: 'emr',
  sourceName: 'EMR',
  sourceKind: 'hl7v3',
  nativeId: 'doc-1#obs-1',
  messageType: 'WS/T 500',
  fetchedAt: '2024-03-05T10:00:00Z',
};
const vitalsCategory = { resourceType: 'Observation', category: [{ coding: [{ code: 'vital-signs' }] }] } as TimelineEntry['resource'];

function vital(
  id: string,
  time: string,
  loinc: string,
  value: number,
  unit: string | undefined,
  extra: Partial<TimelineEntry> = {},
): TimelineEntry {
  return entry(id, time, {
    codes: [{ system: 'http://loinc.org', code: loinc }],
    lab: { loinc, value, ...(unit ? { unit } : {}) },
    resource: vitalsCategory,
    provenance: [{ ...CDR, nativeId: `Observation/${id}` }],
    ...extra,
  });
}

function bpPanel(id: string, time: string, systolic: number, diastolic: number, extra: Partial<TimelineEntry> = {}): TimelineEntry {
  return entry(id, time, {
    codes: [{ system: 'http://loinc.org', code: '85354-9' }],
    value: {
      type: 'components',
      components: [
        {
          label: '收缩压',
          loinc: '8480-6',
          value: { type: 'quantity', quantity: { value: systolic, unit: 'mm[Hg]' } },
          abnormal: systolic > 139,
        },
        {
          label: '舒张压',
          loinc: '8462-4',
          value: { type: 'quantity', quantity: { value: diastolic, unit: 'mm[Hg]' } },
          abnormal: diastolic > 89,
        },
      ],
    },
    resource: vitalsCategory,
    provenance: [{ ...CDR, nativeId: `Observation/${id}` }],
    ...extra,
  });
}

const admission = entry('enc', '2021-01-27T08:11:00', {
  kind: 'encounter',
  resource: {
    resourceType: 'Encounter',
    class: { code: 'IMP' },
    period: { start: '2021-01-27T08:11:00', end: '2021-02-04T08:11:00' },
  } as TimelineEntry['resource'],
});

describe('vitals flowsheet model', () => {
  it('groups readings by local day and four-hour slot, with the hospital day of each date', () => {
    const sheet = buildVitalsFlowsheet([
      admission,
      vital('t1', '2021-01-27T08:11:00', '8310-5', 38.8, 'Cel'),
      vital('t2', '2021-01-27T14:00:00', '8310-5', 39.2, 'Cel'),
      vital('t3', '2021-01-27T15:30:00', '8310-5', 38.9, 'Cel'),
      vital('t4', '2021-01-29T23:59:00', '8310-5', 36.8, 'Cel'),
    ]);
    expect(sheet.days.map((d) => [d.key, d.hospitalDay])).toEqual([
      ['2021-01-27', 1],
      ['2021-01-28', 2], // no readings, but inside the stay: the chart keeps one column per day
      ['2021-01-29', 3],
    ]);
    const first = sheet.days[0]!;
    expect(first.slots[2]?.temperature?.value).toBe(38.8); // 08:11 → the 10 h slot (8–12)
    expect(first.slots[3]?.temperature?.value).toBe(38.9); // 14:00 and 15:30 → the 14 h slot shows the later one
    expect(sheet.days[2]!.slots[5]?.temperature?.value).toBe(36.8);
    expect(sheet.rows.map((r) => r.readings.temperature?.value)).toEqual([38.8, 39.2, 38.9, 36.8]);
  });

  it('days outside any stay have no hospital day and gaps between them are not filled', () => {
    const sheet = buildVitalsFlowsheet([
      vital('p1', '2020-05-01T09:00:00', '8867-4', 72, '/min'),
      vital('p2', '2020-05-04T09:00:00', '8867-4', 80, '/min'),
    ]);
    expect(sheet.days.map((d) => [d.key, d.hospitalDay])).toEqual([
      ['2020-05-01', undefined],
      ['2020-05-04', undefined],
    ]);
  });

  it('reads a BP panel by its components and pairs them into morning and afternoon blood pressure', () => {
    const sheet = buildVitalsFlowsheet([
      admission,
      bpPanel('bp1', '2021-01-27T10:00:00', 146, 90),
      bpPanel('bp2', '2021-01-27T18:00:00', 132, 82),
    ]);
    const day = sheet.days[0]!;
    expect(day.bloodPressure[0]?.systolic?.value).toBe(146);
    expect(day.bloodPressure[0]?.diastolic?.value).toBe(90);
    expect(day.bloodPressure[0]?.systolic?.flag).toBe('H');
    expect(day.bloodPressure[1]?.systolic?.value).toBe(132);
    expect(day.bloodPressure[1]?.systolic?.flag).toBeUndefined();
    expect(day.bloodPressure[0]?.systolic?.unit).toBe('mmHg');
  });

  it('normalises units for display and keeps what was sent when the number changed', () => {
    expect(normaliseVital('temperature', 101.3, '[degF]')).toEqual({
      value: 38.5,
      unit: 'celsius',
      original: { value: 101.3, unit: '[degF]' },
    });
    expect(normaliseVital('temperature', 37, '℃')).toEqual({ value: 37, unit: 'celsius' });
    expect(normaliseVital('pulse', 88, '次/分')).toEqual({ value: 88, unit: 'perMinute' });
    expect(normaliseVital('spo2', 0.96, '1')).toEqual({ value: 96, unit: 'percent', original: { value: 0.96, unit: '1' } });
    expect(normaliseVital('weight', 72500, 'g')).toEqual({ value: 72.5, unit: 'kg', original: { value: 72500, unit: 'g' } });
    expect(normaliseVital('systolic', 16, 'kPa')?.value).toBe(120);
    expect(normaliseVital('weight', 70, undefined)).toEqual({ value: 70, unit: 'kg' });
    expect(normaliseVital('temperature', 37, 'mmol/L')).toBeUndefined();
  });

  it('counts readings it cannot place (no time of day, a foreign unit) instead of guessing', () => {
    const sheet = buildVitalsFlowsheet([
      vital('w', '2021-01-27', '29463-7', 70, 'kg'),
      vital('t', '2021-01-27T10:00:00', '8310-5', 37, 'mg'),
    ]);
    expect(sheet.rows).toHaveLength(0);
    expect(sheet.unplaced).toBe(2);
  });

  it('merges the same vital at the same minute from several systems into one reading with every provenance', () => {
    const lisTemp = vital('lt', '2021-01-27T08:11:00', '8310-5', 38.8, 'Cel', { provenance: [{ ...LIS, nativeId: 'OBX-1' }] });
    const emrSystolic = vital('es', '2021-01-27T08:11:00', '8480-6', 152, 'mm[Hg]', { provenance: [EMR] });
    const emrDiastolic = vital('ed', '2021-01-27T08:11:00', '8462-4', 94, 'mm[Hg]', { provenance: [EMR] });
    const sheet = buildVitalsFlowsheet([
      admission,
      vital('ct', '2021-01-27T08:11:00', '8310-5', 38.8, 'Cel'),
      lisTemp,
      bpPanel('cbp', '2021-01-27T08:11:00', 152, 94),
      emrSystolic,
      emrDiastolic,
    ]);
    expect(sheet.rows).toHaveLength(1);
    const row = sheet.rows[0]!.readings;
    expect(row.temperature?.provenance.map((p) => p.sourceName)).toEqual(['CDR', 'LIS']);
    expect(row.temperature?.conflicts).toBeUndefined();
    // The CDR's panel and the EMR's separate systolic/diastolic are one blood pressure.
    expect(row.systolic?.provenance.map((p) => p.sourceName)).toEqual(['CDR', 'EMR']);
    expect(row.diastolic?.provenance.map((p) => p.sourceName)).toEqual(['CDR', 'EMR']);
    expect(row.systolic?.entryIds).toEqual(['cbp', 'es']);
  });

  it('keeps a disagreeing value as a conflict naming each system, never dropping one', () => {
    const sheet = buildVitalsFlowsheet([
      vital('a', '2021-01-27T10:00:00', '8867-4', 108, '/min'),
      vital('b', '2021-01-27T10:00:00', '8867-4', 110, '/min', { provenance: [LIS] }),
    ]);
    expect(sheet.rows[0]!.readings.pulse?.conflicts).toEqual([
      { sourceName: 'CDR', value: '108' },
      { sourceName: 'LIS', value: '110' },
    ]);
  });

  it("marks abnormal values by the source's flag, else by the usual adult limits when the source said nothing", () => {
    const flagged = vital('h', '2021-01-27T10:00:00', '8867-4', 90, '/min', {
      resource: { ...vitalsCategory, interpretation: [{ coding: [{ code: 'H' }] }] } as TimelineEntry['resource'],
    });
    const saidNormal = vital('n', '2021-01-27T14:00:00', '8310-5', 37.5, 'Cel', {
      resource: { ...vitalsCategory, interpretation: [{ coding: [{ code: 'N' }] }] } as TimelineEntry['resource'],
    });
    const silentFever = vital('f', '2021-01-27T18:00:00', '8310-5', 38.6, 'Cel');
    const lowSpo2 = vital('s', '2021-01-27T18:00:00', '59408-5', 92, '%');
    const sheet = buildVitalsFlowsheet([flagged, saidNormal, silentFever, lowSpo2]);
    const [r10, r14, r18] = sheet.rows;
    expect(r10!.readings.pulse?.flag).toBe('H');
    expect(r14!.readings.temperature?.flag).toBeUndefined();
    expect(r18!.readings.temperature?.flag).toBe('H');
    expect(r18!.readings.spo2?.flag).toBe('L');
  });

  it('reads oral temperature (8331-1) and arterial SpO₂ (2708-6) and keeps the latest weight and height', () => {
    const sheet = buildVitalsFlowsheet([
      vital('o', '2021-01-27T10:00:00', '8331-1', 37.1, 'Cel'),
      vital('s', '2021-01-27T10:00:00', '2708-6', 97, '%'),
      vital('w1', '2021-01-27T06:00:00', '29463-7', 72.5, 'kg'),
      vital('w2', '2021-01-30T06:00:00', '29463-7', 71.9, 'kg'),
      vital('h', '2021-01-27T06:00:00', '8302-2', 1.72, 'm'),
    ]);
    expect(sheet.rows.find((r) => r.readings.temperature)?.readings.temperature?.value).toBe(37.1);
    expect(sheet.rows.find((r) => r.readings.spo2)?.readings.spo2?.value).toBe(97);
    expect(sheet.latestWeight?.value).toBe(71.9);
    expect(sheet.latestHeight?.value).toBe(172);
    expect(sheet.days.find((d) => d.key === '2021-01-30')?.weight?.value).toBe(71.9);
  });

  it('ignores lab results and other observations', () => {
    const glucose = entry('g', '2021-01-27T10:00:00', {
      codes: [{ system: 'http://loinc.org', code: '2345-7' }],
      lab: { loinc: '2345-7', value: 5.6, unit: 'mmol/L' },
    });
    expect(hasVitalSigns([glucose, admission])).toBe(false);
    expect(hasVitalSigns([glucose, vital('p', '2021-01-27T10:00:00', '8867-4', 80, '/min')])).toBe(true);
    expect(buildVitalsFlowsheet([glucose]).rows).toHaveLength(0);
  });
});
