/**
 * Issue 14 item 8: every R4 value[x] reaches the timeline as data (entry.value) and as a
 * language-neutral summary; medicationReference shows the Medication's code.
 */
import { describe, expect, it } from 'vitest';
import type { Observation, Resource } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { ObservationValueSchema } from '../../../../../src/shared/domain/observation-value.ts';
import { TimelineEntrySchema } from '../../../../../src/shared/domain/timeline.ts';
import { buildTimeline } from '../../../../../src/main/services/timeline/build-timeline.ts';
import { describeResource } from '../../../../../src/main/services/timeline/describe-resource.ts';
import { SYNTHEA_BLOOD_PRESSURE } from './synthea-observations.ts';

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

function observation(value: Partial<Observation>, code: Observation['code'] = { text: 'test' }): Observation {
  return { resourceType: 'Observation', id: 'o1', status: 'final', code, effectiveDateTime: '2024-05-02T08:00:00+08:00', ...value };
}

function described(value: Partial<Observation>) {
  const d = describeResource(observation(value));
  if (d.value) expect(ObservationValueSchema.safeParse(d.value).success).toBe(true);
  return d;
}

describe('Observation value[x] as data and summary', () => {
  it('components (blood pressure): each with its LOINC and quantity; one summary line; abnormal when a component is', () => {
    const d = describeResource(SYNTHEA_BLOOD_PRESSURE);
    expect(d.value).toEqual({
      type: 'components',
      components: [
        { label: 'Diastolic Blood Pressure', loinc: '8462-4', value: { type: 'quantity', quantity: { value: 82, unit: 'mm[Hg]' } } },
        {
          label: 'Systolic Blood Pressure',
          loinc: '8480-6',
          value: { type: 'quantity', quantity: { value: 141, unit: 'mm[Hg]' } },
          abnormal: true,
        },
      ],
    });
    expect(d.summary).toBe('82/141 mm[Hg]');
    expect(d.abnormal).toBe(true);
  });

  it('components of differing kinds are summarised each with its label', () => {
    const d = described({
      component: [
        { code: { text: 'pattern' }, valueString: 'sinus' },
        { code: { text: 'rate' }, valueInteger: 72 },
      ],
    });
    expect(d.summary).toBe('pattern sinus; rate 72');
  });

  it('a value beside components is kept as the main value, first in the summary', () => {
    const d = described({
      valueQuantity: { value: 7, unit: 'kPa' },
      component: [{ code: { text: 'pO2' }, valueQuantity: { value: 12, unit: 'kPa' } }],
    });
    expect(d.value).toMatchObject({ type: 'components', main: { type: 'quantity', quantity: { value: 7, unit: 'kPa' } } });
    expect(d.summary).toBe('7 kPa; pO2 12 kPa');
  });

  it('valueTime', () => {
    expect(described({ valueTime: '07:30:00' })).toMatchObject({ value: { type: 'time', value: '07:30:00' }, summary: '07:30:00' });
  });

  it('valuePeriod, open or closed', () => {
    expect(described({ valuePeriod: { start: '2024-05-01T22:00:00+08:00', end: '2024-05-02T06:00:00+08:00' } })).toMatchObject({
      value: { type: 'period', start: '2024-05-01T22:00:00+08:00', end: '2024-05-02T06:00:00+08:00' },
      summary: '2024-05-01T22:00:00+08:00/2024-05-02T06:00:00+08:00',
    });
    expect(described({ valuePeriod: { start: '2024-05-01' } }).summary).toBe('2024-05-01/..');
  });

  it('valueRatio (a titre)', () => {
    expect(described({ valueRatio: { numerator: { value: 1 }, denominator: { value: 128 } } })).toMatchObject({
      value: { type: 'ratio', numerator: { value: 1 }, denominator: { value: 128 } },
      summary: '1/128',
    });
  });

  it('valueRange', () => {
    expect(described({ valueRange: { low: { value: 5, unit: 'mg' }, high: { value: 10, unit: 'mg' } } })).toMatchObject({
      value: { type: 'range', low: { value: 5, unit: 'mg' }, high: { value: 10, unit: 'mg' } },
      summary: '5–10 mg',
    });
  });

  it('valueSampledData is summarised (count, spacing, extent), never copied', () => {
    const d = described({
      valueSampledData: { origin: { value: 2048, unit: 'uV' }, period: 10, factor: 2, dimensions: 1, data: '0 1 -1 E 3' },
    });
    expect(d.value).toEqual({ type: 'sampled', samples: 5, periodMs: 10, dimensions: 1, unit: 'uV', min: 2046, max: 2054 });
    expect(d.summary).toBe('2046–2054 uV');
  });

  it('valueBoolean, valueInteger, valueDateTime, valueString', () => {
    expect(described({ valueBoolean: false })).toMatchObject({ value: { type: 'boolean', value: false }, summary: 'false' });
    expect(described({ valueInteger: 3 })).toMatchObject({ value: { type: 'integer', value: 3 }, summary: '3' });
    expect(described({ valueDateTime: '2024-04-30' })).toMatchObject({
      value: { type: 'dateTime', value: '2024-04-30' },
      summary: '2024-04-30',
    });
    expect(described({ valueString: '阴性' })).toMatchObject({ value: { type: 'string', value: '阴性' }, summary: '阴性' });
  });

  it('valueCodeableConcept: text, else the first coding’s display, else its code', () => {
    expect(described({ valueCodeableConcept: { text: '阳性', coding: [{ code: '10828004', display: 'Positive' }] } }).value).toEqual({
      type: 'concept',
      text: '阳性',
      code: '10828004',
    });
    expect(
      described({ valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '260385009', display: 'Negative' }] } })
        .summary,
    ).toBe('Negative');
    expect(described({ valueCodeableConcept: { coding: [{ code: 'NEG' }] } }).summary).toBe('NEG');
  });

  it('a plain valueQuantity stays on the fast path: summary only, no value object', () => {
    const d = described({ valueQuantity: { value: 7.8, unit: 'mmol/L' } });
    expect(d.summary).toBe('7.8 mmol/L');
    expect(d.value).toBeUndefined();
  });

  it('the entry carries the value and validates against the IPC schema', () => {
    const [entry] = buildTimeline([sourced(SYNTHEA_BLOOD_PRESSURE)]);
    expect(entry!.value?.type).toBe('components');
    expect(TimelineEntrySchema.safeParse(entry).success).toBe(true);
  });
});

describe('medicationReference shows the Medication', () => {
  const order = (medicationReference: { reference: string }, extra: object = {}): Resource =>
    ({
      resourceType: 'MedicationRequest',
      id: 'mr1',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
      authoredOn: '2024-05-02',
      medicationReference,
      ...extra,
    }) as Resource;

  it('a contained Medication', () => {
    const d = describeResource(
      order(
        { reference: '#med' },
        {
          contained: [
            {
              resourceType: 'Medication',
              id: 'med',
              code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '860975', display: 'metformin 500 MG' }] },
            },
          ],
        },
      ),
    );
    expect(d.title).toBe('metformin 500 MG');
    expect(d.codes).toEqual([{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '860975', display: 'metformin 500 MG' }]);
  });

  it('a Medication elsewhere in the same source, even when it arrives after the order', () => {
    const entries = buildTimeline([
      sourced(order({ reference: 'Medication/m1' })),
      sourced({ resourceType: 'Medication', id: 'm1', code: { text: '二甲双胍片 0.5g' } } as Resource),
    ]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.title).toBe('二甲双胍片 0.5g');
  });

  it('an unresolved reference keeps its own name, so two unnamed drugs are never merged into one', () => {
    const entries = buildTimeline([
      sourced(order({ reference: 'Medication/a' }), 'cdr'),
      sourced({ ...order({ reference: 'Medication/b' }), id: 'mr2' } as Resource, 'his'),
    ]);
    expect(entries.map((e) => e.title).sort()).toEqual(['Medication/a', 'Medication/b']);
  });
});
