import { createHmac, randomBytes } from 'node:crypto';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';

/** Patient record references → "P-" + ten hex digits of a keyed hash; one value per set of references (the aggregates' record key). */
export type RefMasker = (refs: readonly SourcePatientRef[]) => string;

/**
 * The key a record's aggregates are stored under: an HMAC under a key only this workstation's
 * cache holds, so it cannot be found by hashing candidate MRNs. The same set of references (in
 * any order) gives the same key, so a record re-opened the same day merges. It never leaves the
 * service: the drill-down shows a sample reference of its own family made from it (`sampleRef`),
 * which nothing in the audit trail can be matched with.
 */
export function createRefMasker(key: Uint8Array = randomBytes(32)): RefMasker {
  return (refs) => {
    const canonical = [...new Set(refs.map((r) => `${r.sourceId}\u0000${r.sourcePatientId}`))].sort().join('\u0001');
    return `P-${createHmac('sha256', key).update(canonical).digest('hex').slice(0, 10)}`;
  };
}
