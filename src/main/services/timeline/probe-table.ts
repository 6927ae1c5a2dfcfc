/**
 * An open-addressing hash index over numbered items (linear probing, typed arrays, no deletes):
 * the caller keeps the items and says which ones match; the table only finds them. At 100,000
 * records a rebuild did ~5 operations per record on JavaScript Maps holding every record, and
 * those were most of its time on a 2-core workstation (~0.5–0.9 µs each: growth, chained
 * buckets and a cache miss per step); this does the same in ~0.1 µs with its own string hash.
 *
 * Items with equal keys are met in the order they were inserted (linear probing without
 * deletes, and growth re-inserts in item order), so "the oldest matching item" is well defined.
 */
export class ProbeTable {
  /** Item number + 1 per slot; 0 = empty. */
  #slots: Int32Array;
  #hashes: Int32Array;
  #mask: number;
  #count = 0;
  /** The hash `first` was asked for, and the slot of the item it or `next` gave last. */
  #hash = 0;
  #at = 0;

  /**
   * A table kept for the life of the process, never used. V8 reaches the hidden classes of a
   * class's instances (one per field its constructor adds) only through live instances: the
   * transitions to them are weak. The build's optimised code embeds them, so once the last
   * build's tables were collected V8 threw that code away ("embedded weak objects cleared") and
   * every build ran unoptimised until compiled anew. Each per-build class of the build's hot path
   * keeps one, in a static field: a module's unexported constant that no function reads is not
   * kept once the module has run.
   */
  private static readonly keptShape = new ProbeTable(0);

  constructor(expected = 1024) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.#slots = new Int32Array(capacity);
    this.#hashes = new Int32Array(capacity);
    this.#mask = capacity - 1;
  }

  /**
   * The first inserted item with this hash, or -1; `next` gives the following ones. The caller
   * compares the items itself: a match callback made per index (a closure over that index's
   * state) was a new call target every build, and V8 discarded the optimised code that had
   * inlined it when that build's callback was collected.
   */
  first(hash: number): number {
    this.#hash = hash;
    this.#at = (hash & this.#mask) - 1;
    return this.next();
  }

  /** The next item with the hash `first` was given (in insertion order), or -1 after the last. */
  next(): number {
    const slots = this.#slots;
    const hashes = this.#hashes;
    const mask = this.#mask;
    const hash = this.#hash;
    for (let p = (this.#at + 1) & mask; ; p = (p + 1) & mask) {
      const item = slots[p]! - 1;
      if (item < 0) {
        // Stays at the empty slot: another call answers -1 again.
        this.#at = p - 1;
        return -1;
      }
      if (hashes[p] === hash) {
        this.#at = p;
        return item;
      }
    }
  }

  /** The first inserted item with this hash for which `matches` holds, or -1 (off the hot paths: see `first`). */
  find(hash: number, matches: (item: number) => boolean): number {
    for (let item = this.first(hash); item >= 0; item = this.next()) if (matches(item)) return item;
    return -1;
  }

  insert(hash: number, item: number): void {
    if ((this.#count + 1) * 2 > this.#slots.length) this.#grow();
    this.#place(hash, item);
    this.#count++;
  }

  #place(hash: number, item: number): void {
    const slots = this.#slots;
    let p = hash & this.#mask;
    while (slots[p] !== 0) p = (p + 1) & this.#mask;
    slots[p] = item + 1;
    this.#hashes[p] = hash;
  }

  #grow(): void {
    const oldSlots = this.#slots;
    const oldHashes = this.#hashes;
    // Re-inserted in item order, so equal keys keep their insertion order.
    const byItem: number[] = [];
    for (let p = 0; p < oldSlots.length; p++) if (oldSlots[p] !== 0) byItem[oldSlots[p]! - 1] = oldHashes[p]!;
    this.#slots = new Int32Array(oldSlots.length * 2);
    this.#hashes = new Int32Array(oldSlots.length * 2);
    this.#mask = this.#slots.length - 1;
    byItem.forEach((hash, item) => this.#place(hash, item));
  }
}

/** FNV-1a over UTF-16 code units, as a signed 32-bit integer. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** Mixes a number (an integer that fits 32 bits, e.g. a clinical minute) into a hash. */
export function hashInt(h: number, value: number): number {
  return (Math.imul(h ^ (value | 0), 0x01000193) ^ (value / 4_294_967_296)) | 0;
}
