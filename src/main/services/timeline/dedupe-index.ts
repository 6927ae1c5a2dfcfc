import type { DedupeKeyParts } from './dedupe-key.ts';

/**
 * The entries still open for merging, by dedupe key. Indexed by the key's parts (type → what →
 * bucket) rather than one concatenated string: at 100,000 records, building and hashing a fresh
 * key string per record cost more than the rest of the lookup.
 */
export interface DedupeIndex {
  /** Indices of the entries filed under this key, oldest first. */
  get(key: DedupeKeyParts): number | readonly number[] | undefined;
  add(key: DedupeKeyParts, index: number): void;
}

export function createDedupeIndex(): DedupeIndex {
  // One system rarely sends two records with the same key, so a bucket holds a number, and an
  // array only once a second entry joins it.
  const byType = new Map<string, Map<string, Map<number, number | number[]>>>();
  const bucketsOf = (key: DedupeKeyParts, create: boolean): Map<number, number | number[]> | undefined => {
    let byWhat = byType.get(key.type);
    if (!byWhat) {
      if (!create) return undefined;
      byWhat = new Map();
      byType.set(key.type, byWhat);
    }
    let buckets = byWhat.get(key.what);
    if (!buckets && create) {
      buckets = new Map();
      byWhat.set(key.what, buckets);
    }
    return buckets;
  };
  return {
    get: (key) => bucketsOf(key, false)?.get(key.bucket),
    add(key, index) {
      const buckets = bucketsOf(key, true)!;
      const open = buckets.get(key.bucket);
      if (open === undefined) buckets.set(key.bucket, index);
      else if (typeof open === 'number') buckets.set(key.bucket, [open, index]);
      else open.push(index);
    },
  };
}
