import { describe, expect, it } from 'vitest';
import type { SourceStatus } from '../../../../../src/shared/domain/source.ts';
import { outageOf, staleSourcesOf } from '../../../../../src/renderer/features/sources/outage.ts';

const status = (sourceId: string, state: SourceStatus['state'], extra: Partial<SourceStatus> = {}): SourceStatus => ({
  sourceId,
  name: sourceId.toUpperCase(),
  kind: 'fhir',
  state,
  ...extra,
});

describe('outage model', () => {
  it('no outage while every asked system answers; systems never asked count as neither', () => {
    expect(outageOf([status('cdr', 'ok'), status('lis', 'slow'), status('pacs', 'idle')])).toEqual({ down: [], allDown: false });
  });

  it('names each down system with what stands in for it: the cache (and its time), nothing, or a paused circuit', () => {
    const outage = outageOf([
      status('cdr', 'ok'),
      status('lis', 'cached', {
        cachedAsOf: '2026-12-06T14:05:00+08:00',
        error: { code: 'timeout', message: 'LIS did not answer within 10000 ms' },
      }),
      status('his', 'failed', { error: { code: 'unreachable', message: 'connection refused' } }),
      status('emr', 'circuit-open'),
    ]);
    expect(outage.allDown).toBe(false);
    expect(outage.down).toEqual([
      {
        sourceId: 'lis',
        name: 'LIS',
        reading: 'cached',
        cachedAsOf: '2026-12-06T14:05:00+08:00',
        reason: { code: 'timeout', message: 'LIS did not answer within 10000 ms' },
      },
      { sourceId: 'his', name: 'HIS', reading: 'failed', reason: { code: 'unreachable', message: 'connection refused' } },
      { sourceId: 'emr', name: 'EMR', reading: 'paused' },
    ]);
  });

  it('all down when every asked system is down, and a still-loading system keeps it from being "all"', () => {
    expect(
      outageOf([status('cdr', 'cached', { cachedAsOf: 'x' }), status('lis', 'failed'), status('pacs', 'idle', { kind: 'dicomweb' })])
        .allDown,
    ).toBe(true);
    expect(outageOf([status('cdr', 'cached', { cachedAsOf: 'x' }), status('lis', 'loading')]).allDown).toBe(false);
  });

  it('a record system never asked keeps it from being "all": one failed census query on a fresh start is not a hospital-wide outage', () => {
    const outage = outageOf([
      status('cdr', 'failed'),
      status('his', 'idle', { kind: 'hl7v2' }),
      status('pacs', 'idle', { kind: 'dicomweb' }),
    ]);
    expect(outage.down.map((d) => d.sourceId)).toEqual(['cdr']);
    expect(outage.allDown).toBe(false);
  });

  it('stale sources are the cached ones, with the time of their copy', () => {
    expect([...staleSourcesOf([status('cdr', 'ok'), status('lis', 'cached', { cachedAsOf: 't1' }), status('his', 'failed')])]).toEqual([
      ['lis', 't1'],
    ]);
  });
});
