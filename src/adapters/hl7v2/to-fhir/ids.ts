/**
 * Deterministic resource ids: the same message (or the same order, result or patient carried
 * by another message) always yields the same id, so re-fetches replace instead of duplicate.
 */
import { createHash } from 'node:crypto';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function isFhirId(value: string): boolean {
  return FHIR_ID.test(value);
}

/**
 * A natural key that many resources of one message repeat (the id namespace, MSH-10, a report's
 * order number, the patient's id): a hostile field of hundreds of kB is hashed once where the key
 * is made, not once per resource that carries it. Real keys are far shorter.
 */
const KEY_LIMIT = 256;
export function boundedKey(key: string): string {
  return key.length <= KEY_LIMIT ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** "<prefix>-<20 hex>" from the namespace and the natural key parts. */
export function stableId(prefix: string, namespace: string, ...key: readonly string[]): string {
  const digest = createHash('sha256').update([namespace, prefix, ...key].join('\u001f')).digest('hex');
  return `${prefix}-${digest.slice(0, 20)}`;
}
