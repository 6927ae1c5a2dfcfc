import type { DedupeKeyParts } from './dedupe-key.ts';
import { hashInt, hashString, ProbeTable } from './probe-table.ts';

/**
 * The entries still open for merging, by dedupe key (type, what, bucket), in a ProbeTable: at
 * 100,000 records, nested JavaScript Maps (type → what → bucket) were a third of a rebuild.
 * The caller walks the entries filed under a key (`first`, `next`) and judges each itself: a
 * callback made per build was a new call target each build, which cost the build its optimised
 * code (see ProbeTable.first).
 */
export class DedupeIndex {
  readonly #table: ProbeTable;
  // The key of each filed entry, by entry index (entries are filed once each).
  readonly #types: string[];
  readonly #whats: string[];
  readonly #buckets: (number | undefined)[];
  #key: DedupeKeyParts = { type: '', what: '', bucket: undefined };
  #hash = 0;
  /** Keeps this class's hidden classes alive between builds (see ProbeTable.keptShape). */
  private static readonly keptShape = new DedupeIndex(1);

  constructor(expected?: number) {
    this.#table = new ProbeTable(expected);
    this.#types = new Array<string>(expected ?? 0);
    this.#whats = new Array<string>(expected ?? 0);
    this.#buckets = new Array<number | undefined>(expected ?? 0);
  }

  /** The oldest entry filed under this key, or -1; `next` gives the later ones, `file` files an entry under it. */
  first(key: DedupeKeyParts): number {
    this.#key = key;
    this.#hash = hashString(key.type, key.bucket === undefined ? hashString(key.what) : hashInt(hashString(key.what), key.bucket));
    return this.#filedUnderKey(this.#table.first(this.#hash));
  }

  /** The next entry filed under the key `first` was given, or -1 after the last. */
  next(): number {
    return this.#filedUnderKey(this.#table.next());
  }

  /** Files entry `index` under the key `first` was given. */
  file(index: number): void {
    const key = this.#key;
    this.#types[index] = key.type;
    this.#whats[index] = key.what;
    this.#buckets[index] = key.bucket;
    this.#table.insert(this.#hash, index);
  }

  /** Skips entries whose key only shares the hash. */
  #filedUnderKey(from: number): number {
    const key = this.#key;
    const table = this.#table;
    for (let i = from; i >= 0; i = table.next())
      if (this.#buckets[i] === key.bucket && this.#whats[i] === key.what && this.#types[i] === key.type) return i;
    return -1;
  }
}
