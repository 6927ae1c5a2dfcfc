import { createHmac } from 'node:crypto';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';

/**
 * The masked references the administrator's console shows, one family per purpose. Each family
 * has its own key (HMAC of the root key under the purpose's name) and its own prefix, so a value
 * of one family says nothing about any value of another: an audit search, which the
 * administrator may point at any record reference they can type, must not become an oracle
 * that names the quality drill-down's samples.
 */
export interface RefMasks {
  /**
   * The audit trail's mask of one record reference ("P-…"): the same reference gives the same mask
   * in every event (an open, a search by it, a refusal), stable across restarts of one cache.
   */
  audit(ref: SourcePatientRef): string;
  /**
   * A quality drill-down's sample reference ("S-…") for a record's internal key on one UTC day: the
   * same sample is one value all day (IT can say "sample S-… again"), a new one the next day, and
   * never equal to an audit mask or derivable from a record reference without the key.
   */
  qualitySample(recordKey: string, day: number): string;
}

type Purpose = 'audit' | 'quality-sample';

const hex10 = (key: Uint8Array, parts: readonly string[]): string =>
  createHmac('sha256', key).update(parts.join('\u0000')).digest('hex').slice(0, 10);

/** `rootKey`: 32 bytes only this workstation's cache holds (a service key), or a process-lifetime random one. */
export function createRefMasks(rootKey: Uint8Array): RefMasks {
  const keyOf = (purpose: Purpose): Buffer => createHmac('sha256', rootKey).update(`huizhen-ref-mask/${purpose}`).digest();
  const auditKey = keyOf('audit');
  const sampleKey = keyOf('quality-sample');
  return {
    audit: (ref) => `P-${hex10(auditKey, ['audit', ref.sourceId, ref.sourcePatientId])}`,
    qualitySample: (recordKey, day) => `S-${hex10(sampleKey, ['quality-sample', String(day), recordKey])}`,
  };
}
