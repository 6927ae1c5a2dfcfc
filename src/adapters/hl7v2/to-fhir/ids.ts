/**
 * Deterministic resource ids: the same message (or the same order, result or patient carried
 * by another message) always yields the same id, so re-fetches replace instead of duplicate.
 */
import { createHash } from 'node:crypto';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function isFhirId(value: string): boolean {
  return FHIR_ID.test(value);
}

/** "<prefix>-<20 hex>" from the namespace and the natural key parts. */
export function stableId(prefix: string, namespace: string, ...key: readonly string[]): string {
  const digest = createHash('sha256').update([namespace, prefix, ...key].join('\u001f')).digest('hex');
  return `${prefix}-${digest.slice(0, 20)}`;
}
