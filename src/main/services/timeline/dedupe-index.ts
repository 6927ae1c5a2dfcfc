import type { DedupeKeyParts } from './dedupe-key.ts';
import { hashInt, hashString, ProbeTable } from './probe-table.ts';

/**
 * The entries still open for merging, by dedupe key (type, what, bucket), in a ProbeTable: at
 * 100,000 records, nested JavaScript Maps (type → what → bucket) were a third of a rebuild.
 */
export interface DedupeIndex {
  /**
   * The oldest entry filed under this key that `accept`s; when there is none, files `index`
   * under the key and returns undefined.
   */
  findOrFile(key: DedupeKeyParts, accept: (index: number) => boolean, index: number): number | undefined;
}

export function createDedupeIndex(expected?: number): DedupeIndex {
  const table = new ProbeTable(expected);
  // The key of each filed entry, by entry index (entries are filed once each).
  const types = new Array<string>(expected ?? 0);
  const whats = new Array<string>(expected ?? 0);
  const buckets = new Array<number | undefined>(expected ?? 0);
  let key: DedupeKeyParts = { type: '', what: '' };
  let accept: (index: number) => boolean = () => false;
  const matches = (i: number) => buckets[i] === key.bucket && whats[i] === key.what && types[i] === key.type && accept(i);
  return {
    findOrFile(k, acceptable, index) {
      key = k;
      accept = acceptable;
      const hash = hashString(k.type, k.bucket === undefined ? hashString(k.what) : hashInt(hashString(k.what), k.bucket));
      const found = table.find(hash, matches);
      if (found >= 0) return found;
      types[index] = k.type;
      whats[index] = k.what;
      buckets[index] = k.bucket;
      table.insert(hash, index);
      return undefined;
    },
  };
}
