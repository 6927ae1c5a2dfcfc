/**
 * Resource ids derived from what the resource came from (document id + element path), so the
 * same document converts to the same ids on every fetch and the timeline's de-duplication and
 * the cache see one resource, not a new copy per refresh.
 */
import { createHash } from 'node:crypto';

/** A UUID-shaped (version 5 style, SHA-256 based) id for a seed string. */
export function deterministicUuid(seed: string): string {
  const h = createHash('sha256').update(seed, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
