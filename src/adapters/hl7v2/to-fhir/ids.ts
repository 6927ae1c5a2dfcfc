/**
 * Deterministic resource ids: the same message (or the same order, result or patient carried
 * by another message) always yields the same id, so re-fetches replace instead of duplicate.
 */
import { hash } from 'node:crypto';

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
  return key.length <= KEY_LIMIT ? key : `sha256:${hash('sha256', key)}`;
}

/** "<prefix>-<20 hex>" from the namespace and the natural key parts. */
export function stableId(prefix: string, namespace: string, ...key: readonly string[]): string {
  // One-shot hash: a message of 40,000 results makes 40,000 ids, and a Hash object each cost more than the digest.
  const digest = hash('sha256', [namespace, prefix, ...key].join('\u001f'));
  return `${prefix}-${digest.slice(0, 20)}`;
}
