/** Critical values (issue 16): flags from HL7 v2 and FHIR sources, configured limits after unit normalisation, acknowledgements. */
import type { Observation, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { parseHl7Message } from '../../../../../src/adapters/hl7v2/parse-hl7.ts';
import { convertHl7Message } from '../../../../../src/adapters/hl7v2/to-fhir/convert-message.ts';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { buildTimeline } from '../../../../../src/main/services/timeline/build-timeline.ts';
import {
  createClinicalAlerts,
  openAcknowledgementStore,
  type Acknowledgement,
} from '../../../../../src/main/services/clinical-alerts/index.ts';
import { unacknowledgedCriticalCount } from '../../../../../src/main/services/clinical-alerts/clinical-alerts.ts';
import { findCriticalValues, indexLimits } from '../../../../../src/main/services/clinical-alerts/critical-values.ts';
import { ClinicalAlertsConfigSchema, DEFAULT_CRITICAL_LIMITS } from '../../../../../src/shared/config/clinical-alerts.ts';

const HEAD =
  'MSH|^~\\&|LIS|HOSP|HIS|HOSP|20250630100000+0800||ORU^R01|M1|P|2.4\rPID|1||L1^^^LIS^MR||测试^甲\rOBR|1||R1|BIO^生化|||20250630080000';
const LIMITS = indexLimits(DEFAULT_CRITICAL_LIMITS);

function fromHl7(obx: string) {
  return buildTimeline(
    convertHl7Message(parseHl7Message(`${HEAD}\r${obx}`)).map((r) => ({
      resource: r.resource,
      provenance: {
        sourceId: 'lis',
        sourceName: 'LIS',
        sourceKind: 'hl7v2' as const,
        nativeId: `${r.resource.resourceType}/${r.resource.id}`,
        fetchedAt: '2025-06-30T02:00:00Z',
      },
    })),
  );
}

function sourced(resource: Resource, sourceId = 'cdr'): SourcedResource {
  return {
    resource,
    provenance: {
      sourceId,
      sourceName: sourceId.toUpperCase(),
      sourceKind: 'fhir',
      nativeId: `${resource.resourceType}/${resource.id}`,
      fetchedAt: '2025-06-30T02:00:00Z',
    },
  };
}

function observation(id: string, loinc: string, value: number, unit: string, interpretation?: Observation['interpretation']): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
    effectiveDateTime: '2025-06-30T08:00:00+08:00',
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    ...(interpretation ? { interpretation } : {}),
  };
}

const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

describe('flags from the source', () => {
  it.each([
    ['HH', 'high'],
    ['LL', 'low'],
    ['AA', 'abnormal'],
    ['危急高', 'high'],
  ])('HL7 v2 OBX-8 %s is a critical value (%s)', (flag, direction) => {
    // An analyte with no configured limit: only the flag can make it critical.
    const found = findCriticalValues(fromHl7(`OBX|1|NM|ALT^丙氨酸氨基转移酶||40|U/L|9-50|${flag}|||F`), LIMITS);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ direction, title: expect.any(String) });
  });

  it('HL7 v2 OBX-8 "critical" as words is a critical value', () => {
    expect(findCriticalValues(fromHl7('OBX|1|NM|ALT^丙氨酸氨基转移酶||40|U/L|9-50|critical|||F'), LIMITS)).toHaveLength(1);
  });

  it.each(['H', 'L', 'N', 'A'])('HL7 v2 OBX-8 %s is not', (flag) => {
    expect(findCriticalValues(fromHl7(`OBX|1|NM|ALT^丙氨酸氨基转移酶||40|U/L|9-50|${flag}|||F`), LIMITS)).toEqual([]);
  });

  it('FHIR Observation.interpretation HH / LL / AA and a "Critical" display are critical; H is not', () => {
    const entries = buildTimeline([
      sourced(observation('a', '1742-6', 40, 'U/L', [{ coding: [{ system: V3, code: 'HH' }] }])),
      sourced(observation('b', '1742-6', 40, 'U/L', [{ coding: [{ system: V3, code: 'LL' }] }])),
      sourced(observation('c', '1742-6', 40, 'U/L', [{ coding: [{ system: V3, code: 'AA' }] }])),
      sourced(observation('d', '1742-6', 40, 'U/L', [{ coding: [{ system: 'urn:lis:flags', code: 'X', display: 'Critical value' }] }])),
      sourced(observation('e', '1742-6', 40, 'U/L', [{ coding: [{ system: V3, code: 'H' }] }])),
    ]);
    expect(findCriticalValues(entries, LIMITS).map((c) => [c.entryId, c.direction, c.sourceFlag])).toEqual(
      expect.arrayContaining([
        ['cdr:Observation/a', 'high', 'HH'],
        ['cdr:Observation/b', 'low', 'LL'],
        ['cdr:Observation/c', 'abnormal', 'AA'],
        ['cdr:Observation/d', 'abnormal', 'Critical value'],
      ]),
    );
    expect(findCriticalValues(entries, LIMITS)).toHaveLength(4);
  });

  it('an entered-in-error result is never critical', () => {
    const o = {
      ...observation('a', '2823-3', 7.1, 'mmol/L', [{ coding: [{ system: V3, code: 'HH' }] }]),
      status: 'entered-in-error' as const,
    };
    expect(findCriticalValues(buildTimeline([sourced(o)]), LIMITS)).toEqual([]);
  });
});

describe('configured limits', () => {
  it('an unflagged potassium at the high limit (6.2 mmol/L) is critical, 6.1 is not', () => {
    const entries = buildTimeline([
      sourced(observation('k1', '2823-3', 6.2, 'mmol/L')),
      sourced(observation('k2', '2823-3', 6.1, 'mmol/L')),
    ]);
    const found = findCriticalValues(entries, LIMITS);
    expect(found.map((c) => c.entryId)).toEqual(['cdr:Observation/k1']);
    expect(found[0]).toMatchObject({ direction: 'high', value: 6.2, unit: 'mmol/L', limit: { low: 2.8, high: 6.2, unit: 'mmol/L' } });
    expect(found[0]!.sourceFlag).toBeUndefined();
  });

  it('compares after unit normalisation: glucose 40 mg/dL (2.2 mmol/L) is critical low, 60 mg/dL is not', () => {
    const entries = buildTimeline([sourced(observation('g1', '2345-7', 40, 'mg/dL')), sourced(observation('g2', '2345-7', 60, 'mg/dL'))]);
    const found = findCriticalValues(entries, LIMITS);
    expect(found.map((c) => [c.entryId, c.direction, c.unit])).toEqual([['cdr:Observation/g1', 'low', 'mmol/L']]);
    expect(found[0]!.value).toBeCloseTo(2.22, 1);
  });

  it('an HL7 v2 result by local code (钾) in 毫摩尔/升 meets the limit too', () => {
    expect(findCriticalValues(fromHl7('OBX|1|NM|K^钾||6.8|毫摩尔/升|3.5-5.3||||F'), LIMITS)).toHaveLength(1);
  });

  it('limits come from the configuration: a hospital can change and add them, and nonsense is refused', () => {
    const config = ClinicalAlertsConfigSchema.parse({
      criticalLimits: [
        { loinc: '2823-3', unit: 'mmol/L', high: 6.0 },
        { loinc: '1742-6', unit: 'U/L', high: 1000 },
      ],
    });
    const entries = buildTimeline([sourced(observation('k', '2823-3', 6.0, 'mmol/L')), sourced(observation('alt', '1742-6', 1200, 'U/L'))]);
    expect(findCriticalValues(entries, indexLimits(config.criticalLimits))).toHaveLength(2);
    expect(ClinicalAlertsConfigSchema.parse({}).criticalLimits).toEqual(DEFAULT_CRITICAL_LIMITS);
    expect(ClinicalAlertsConfigSchema.safeParse({ criticalLimits: [{ loinc: '2823-3', unit: 'mmol/L' }] }).success).toBe(false);
    expect(ClinicalAlertsConfigSchema.safeParse({ criticalLimits: [{ loinc: '2823-3', unit: 'mmol/L', low: 7, high: 3 }] }).success).toBe(
      false,
    );
    expect(ClinicalAlertsConfigSchema.safeParse({ criticalLimits: [{ loinc: 'K', unit: 'mmol/L', high: 6 }] }).success).toBe(false);
  });
});

describe('acknowledgements', () => {
  it('an acknowledged value shows who and when, sorts after the unacknowledged, and leaves the worklist count', async () => {
    const saved: Acknowledgement[] = [];
    const store = await openAcknowledgementStore({ load: async () => [], save: async (a) => void saved.push(a) });
    const alerts = createClinicalAlerts(ClinicalAlertsConfigSchema.parse({}), store);
    const entries = buildTimeline([
      sourced(observation('k', '2823-3', 6.5, 'mmol/L')),
      sourced(observation('na', '2951-2', 115, 'mmol/L')),
    ]);
    expect(alerts.unacknowledgedCount(entries)).toBe(2);
    const k = entries.find((e) => e.id === 'cdr:Observation/k')!;
    const acked = await alerts.acknowledge(k, { id: 'D1001', displayName: '李医生' }, '2025-06-30T02:10:00.000Z');
    expect(acked.acknowledged).toEqual({
      key: 'cdr:Observation/k',
      by: { id: 'D1001', displayName: '李医生' },
      at: '2025-06-30T02:10:00.000Z',
    });
    expect(saved).toHaveLength(1);
    expect(alerts.unacknowledgedCount(entries)).toBe(1);
    const view = alerts.forRecord(entries);
    expect(view.critical.map((c) => [c.entryId, c.acknowledged?.by.displayName])).toEqual([
      ['cdr:Observation/na', undefined],
      ['cdr:Observation/k', '李医生'],
    ]);
    // A second acknowledgement keeps the first one's who and when.
    expect((await alerts.acknowledge(k, { id: 'D2', displayName: '王医生' }, '2025-06-30T03:00:00.000Z')).acknowledged?.by.id).toBe(
      'D1001',
    );
  });

  it('refuses to acknowledge a result that is not critical', async () => {
    const alerts = createClinicalAlerts(ClinicalAlertsConfigSchema.parse({}), await openAcknowledgementStore());
    const [normal] = buildTimeline([sourced(observation('k', '2823-3', 4.2, 'mmol/L'))]);
    await expect(alerts.acknowledge(normal!, { id: 'D1', displayName: 'x' }, '2025-06-30T00:00:00Z')).rejects.toMatchObject({
      code: 'not-critical',
    });
  });

  it('an acknowledgement of one system record holds when the result merges with another system’s copy', async () => {
    const store = await openAcknowledgementStore();
    const alerts = createClinicalAlerts(ClinicalAlertsConfigSchema.parse({}), store);
    const lisOnly = buildTimeline([sourced(observation('k', '2823-3', 6.5, 'mmol/L'), 'lis')]);
    await alerts.acknowledge(lisOnly[0]!, { id: 'D1001', displayName: '李医生' }, '2025-06-30T02:10:00.000Z');
    const merged = buildTimeline([
      sourced(observation('k9', '2823-3', 6.5, 'mmol/L'), 'cdr'),
      sourced(observation('k', '2823-3', 6.5, 'mmol/L'), 'lis'),
    ]);
    expect(merged).toHaveLength(1);
    expect(alerts.unacknowledgedCount(merged)).toBe(0);
  });

  it('the ward worklist’s count: critical values of a record nobody has acknowledged, from the door', async () => {
    const store = await openAcknowledgementStore();
    const entries = buildTimeline([
      sourced(observation('k', '2823-3', 6.5, 'mmol/L')),
      sourced(observation('na', '2951-2', 115, 'mmol/L')),
      sourced(observation('ok', '2823-3', 4.1, 'mmol/L')),
    ]);
    expect(unacknowledgedCriticalCount(entries, LIMITS, store)).toBe(2);
    await store.acknowledge(['cdr:Observation/na'], { id: 'D1001', displayName: '李医生' }, '2025-06-30T02:10:00.000Z');
    expect(unacknowledgedCriticalCount(entries, LIMITS, store)).toBe(1);
    expect(unacknowledgedCriticalCount([], LIMITS, store)).toBe(0);
  });
});
