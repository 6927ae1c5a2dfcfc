/**
 * A set of record pairs (i < j < 2^26), as an open-addressing hash table on a typed array.
 * Candidate generation checks ~1 M pairs at 100,000 records; a Set<number> of i * n + j would box
 * every key beyond 2^31 as a heap number, which cost more than the comparisons it saved.
 */
export interface PairSet {
  /** Adds the pair; false when it was already there. */
  add(i: number, j: number): boolean;
}

const EMPTY = -1;

export function createPairSet(expected = 1024): PairSet {
  let capacity = 1 << Math.ceil(Math.log2(Math.max(16, expected * 2)));
  let slots = new Float64Array(capacity).fill(EMPTY);
  let size = 0;

  // Multiplicative hashing of both halves; the table size is a power of two.
  const slotOf = (code: number, i: number, j: number, table: Float64Array): number => {
    const mask = table.length - 1;
    let s = (Math.imul(i, 0x9e3779b1) ^ Math.imul(j, 0x85ebca6b)) & mask;
    while (table[s] !== EMPTY && table[s] !== code) s = (s + 1) & mask;
    return s;
  };

  const grow = () => {
    const old = slots;
    capacity *= 2;
    slots = new Float64Array(capacity).fill(EMPTY);
    for (const code of old) {
      if (code === EMPTY) continue;
      const j = code % 67_108_864;
      slots[slotOf(code, (code - j) / 67_108_864, j, slots)] = code;
    }
  };

  return {
    add(i, j) {
      const code = i * 67_108_864 + j;
      const s = slotOf(code, i, j, slots);
      if (slots[s] === code) return false;
      slots[s] = code;
      if (++size * 2 > capacity) grow();
      return true;
    },
  };
}
