import { describe, expect, it } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { buildTimeline } from '../../../../../src/main/services/timeline/build-timeline.ts';
import { timeKey } from '../../../../../src/main/services/timeline/clinical-time.ts';
import { dedupeKey } from '../../../../../src/main/services/timeline/dedupe-key.ts';
import { convertUnit } from '../../../../../src/main/services/timeline/normalize/convert-unit.ts';

const sourced = (resource: Resource, sourceId: string): SourcedResource => ({
  resource,
  provenance: {
    sourceId,
    sourceName: sourceId.toUpperCase(),
    sourceKind: 'cda',
    nativeId: `${resource.resourceType}/${resource.id}`,
    fetchedAt: '2026-11-25T10:00:00Z',
  },
});

describe('de-duplication keys', () => {
  it("merges two systems' Compositions by their single R4 identifier (not an array) instead of throwing", () => {
    const composition = (id: string) =>
      ({
        resourceType: 'Composition',
        id,
        status: 'final',
        type: { text: '出院小结' },
        date: '2024-05-02',
        title: '出院小结',
        author: [],
        identifier: { system: 'urn:emr:doc', value: 'D1' },
      }) as unknown as Resource;
    const entries = buildTimeline([sourced(composition('a'), 'emr'), sourced(composition('b'), 'platform')]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.provenance.map((p) => p.sourceId)).toEqual(['emr', 'platform']);
    expect(dedupeKey(entries[0]!, timeKey(entries[0]!.clinicalTime))).toBe('Composition|urn:emr:doc|D1');
  });

  it('keeps the string form of every kind of key', () => {
    const [obs] = buildTimeline([
      sourced(
        {
          resourceType: 'Observation',
          id: 'o',
          status: 'final',
          code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
          effectiveDateTime: '2024-05-02T08:00:30Z',
          valueQuantity: { value: 5, unit: 'mmol/L' },
        },
        'lis',
      ),
    ]);
    const [enc] = buildTimeline([
      sourced(
        { resourceType: 'Encounter', id: 'e', status: 'finished', class: { code: 'AMB' }, period: { start: '2024-05-02T08:00:00Z' } },
        'his',
      ),
    ]);
    const [cond] = buildTimeline([
      sourced({ resourceType: 'Condition', id: 'c', subject: {}, code: { text: '高血压' }, onsetDateTime: '2024-05-02' }, 'emr'),
    ]);
    const minute = Math.floor(Date.parse('2024-05-02T08:00:00Z') / 60_000);
    expect(dedupeKey(obs!, timeKey(obs!.clinicalTime))).toBe(`Observation|glucose|${minute}`);
    expect(dedupeKey(enc!, timeKey(enc!.clinicalTime))).toBe(`Encounter|${minute}`);
    expect(dedupeKey(cond!, timeKey(cond!.clinicalTime))).toBe(
      `Condition|高血压|${Math.floor((Date.parse('2024-05-02') + 8 * 3_600_000) / 86_400_000)}`,
    );
    expect(dedupeKey(obs!, Number.NEGATIVE_INFINITY)).toBeUndefined();
  });
});

describe('remembered unit conversions', () => {
  it('give the same value the first and the second time, zero and negative zero included', () => {
    const first = convertUnit(126.1, 'mg/dL', 'mmol/L', 180.156);
    expect(convertUnit(126.1, 'mg/dL', 'mmol/L', 180.156)).toBe(first);
    expect(first).toBeCloseTo(7, 1);
    expect(Object.is(convertUnit(0, 'mg/dL', 'mmol/L', 180.156), 0)).toBe(true);
    expect(Object.is(convertUnit(-0, 'g/dL', 'g/L'), -0)).toBe(true);
  });

  it('remember a failed conversion as failed, and keep molecular weights apart', () => {
    expect(convertUnit(5, 'furlongs', 'mmol/L')).toBeUndefined();
    expect(convertUnit(5, 'furlongs', 'mmol/L')).toBeUndefined();
    expect(convertUnit(100, 'mg/dL', 'mmol/L', 180.156)).not.toBe(convertUnit(100, 'mg/dL', 'mmol/L', 386.65));
    expect(convertUnit(100, 'mg/dL', 'mmol/L')).toBeUndefined();
  });
});

describe('timeKey', () => {
  it('answers a repeated timestamp the same as a fresh one, and an invalid one as undated', () => {
    expect(timeKey('2024-05-02T08:00:00+08:00')).toBe(Date.parse('2024-05-02T08:00:00+08:00'));
    expect(timeKey('2024-05-02T08:00:00+08:00')).toBe(Date.parse('2024-05-02T08:00:00+08:00'));
    expect(timeKey('2021')).toBe(Date.parse('2021-01-01'));
    expect(timeKey('garbage')).toBe(Number.NEGATIVE_INFINITY);
    expect(timeKey('garbage')).toBe(Number.NEGATIVE_INFINITY);
    expect(timeKey('')).toBe(Number.NEGATIVE_INFINITY);
  });
});
