import { createHmac, randomBytes } from 'node:crypto';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';

/** Patient record references → "P-" + ten hex digits of a keyed hash; one value per set of references. */
export type RefMasker = (refs: readonly SourcePatientRef[]) => string;

/**
 * The console's masked reference: an HMAC under a key only this workstation's cache holds, so
 * a reference cannot be found by hashing candidate MRNs. The same set of references (in any
 * order) gives the same mask, which lets an administrator see that two samples, or a sample and
 * an audit event, concern one record — without learning whose.
 */
export function createRefMasker(key: Uint8Array = randomBytes(32)): RefMasker {
  return (refs) => {
    const canonical = [...new Set(refs.map((r) => `${r.sourceId}\u0000${r.sourcePatientId}`))].sort().join('\u0001');
    return `P-${createHmac('sha256', key).update(canonical).digest('hex').slice(0, 10)}`;
  };
}
