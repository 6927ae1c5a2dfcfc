import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DedupeIndex } from '../../../../../src/main/services/timeline/dedupe-index.ts';
import { ProbeTable } from '../../../../../src/main/services/timeline/probe-table.ts';
import { RecordIndex } from '../../../../../src/main/services/timeline/record-index.ts';
import { sortNewestFirst } from '../../../../../src/main/services/timeline/sort-newest-first.ts';

/** The order the timeline promises, written plainly: newest first, undated last, equal times by id. */
function reference<T extends { id: string }>(entries: T[], keys: number[]): T[] {
  return entries
    .map((e, i) => ({ e, t: keys[i]! }))
    .sort((a, b) => (a.t === b.t ? (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0) : b.t - a.t))
    .map((x) => x.e);
}

const time = fc.oneof(
  fc.constant(Number.NEGATIVE_INFINITY),
  fc.integer({ min: 1_500_000_000_000, max: 1_500_000_100_000 }),
  fc.integer({ min: -(2 ** 43) + 1, max: 2 ** 43 - 1 }),
  // Outside the packable span: the comparator path must give the same order.
  fc.constantFrom(2 ** 43, -(2 ** 43), 8.64e15, 1.5),
);

describe('sortNewestFirst', () => {
  it('orders exactly as the plain comparator does, ties and undated entries included', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(time, fc.stringMatching(/^[a-c]{1,3}$/)), { maxLength: 200 }), (rows) => {
        const entries = rows.map(([, id], i) => ({ id: `${id}-${i % 7}` }));
        const keys = rows.map(([t]) => t);
        expect(sortNewestFirst(entries, keys)).toEqual(reference(entries, keys));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('ProbeTable', () => {
  it('finds items with equal keys in the order they were inserted, across growth', () => {
    const table = new ProbeTable(4);
    const keyOf = (item: number) => item % 5;
    for (let item = 0; item < 5_000; item++) table.insert(keyOf(item) * 7919, item);
    for (let k = 0; k < 5; k++) {
      const seen: number[] = [];
      table.find(k * 7919, (item) => {
        if (keyOf(item) === k) seen.push(item);
        return false;
      });
      expect(seen).toEqual(Array.from({ length: 1_000 }, (_, i) => i * 5 + k));
      expect(table.find(k * 7919, (item) => keyOf(item) === k && item > 2_500)).toBe(seen.find((item) => item > 2_500));
    }
  });
});

describe('ProbeTable.first / next', () => {
  it('walks the items of one hash in insertion order, across growth, and stays at -1 after the last', () => {
    const table = new ProbeTable(4);
    for (let item = 0; item < 5_000; item++) table.insert((item % 5) * 7919, item);
    for (let k = 0; k < 5; k++) {
      const walked: number[] = [];
      for (let item = table.first(k * 7919); item >= 0; item = table.next()) walked.push(item);
      expect(walked).toEqual(Array.from({ length: 1_000 }, (_, i) => i * 5 + k));
      expect(table.next()).toBe(-1);
    }
    expect(table.first(5 * 7919)).toBe(-1);
  });
});

describe('DedupeIndex', () => {
  it('gives the entries filed under a key, oldest first, and none filed under another key', () => {
    const index = new DedupeIndex(8);
    const keys = [
      { type: 'Observation', what: 'GLU', bucket: 1 },
      { type: 'Observation', what: 'GLU', bucket: 2 },
      { type: 'Observation', what: 'GLU', bucket: undefined },
      { type: 'Encounter', what: '', bucket: 1 },
      { type: 'Procedure', what: 'GLU', bucket: 1 },
    ];
    for (let entry = 0; entry < 2_000; entry++) {
      // A fresh object each time: keys are compared by their parts, not by identity.
      expect(index.first({ ...keys[entry % keys.length]! })).toBe(entry < keys.length ? -1 : entry % keys.length);
      index.file(entry);
    }
    keys.forEach((key, k) => {
      const walked: number[] = [];
      for (let entry = index.first({ ...key }); entry >= 0; entry = index.next()) walked.push(entry);
      expect(walked).toEqual(Array.from({ length: 400 }, (_, i) => i * keys.length + k));
    });
    expect(index.first({ type: 'Observation', what: 'GLU', bucket: 3 })).toBe(-1);
  });
});

describe('RecordIndex', () => {
  it('keeps each source’s records apart and refuses a second delivery of the same record', () => {
    const index = new RecordIndex();
    const a = index.claim('cdr', 'Observation/1');
    const b = index.claim('lis', 'Observation/1');
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThanOrEqual(0);
    expect(index.claim('cdr', 'Observation/1')).toBe(-1);
    index.assign(a, 10);
    index.assign(b, 20);
    index.set('lis', 'MSG1/OBX/1', 20);
    expect(index.resolve('cdr', 'Observation/1')).toBe(10);
    expect(index.resolve('lis', 'Observation/1')).toBe(20);
    expect(index.resolve('lis', 'MSG1/OBX/1')).toBe(20);
    expect(index.resolve('cdr', 'MSG1/OBX/1')).toBeUndefined();
    index.set('lis', 'MSG1/OBX/1', 30);
    expect(index.resolve('lis', 'MSG1/OBX/1')).toBe(30);
    expect(index.resolve('his', undefined)).toBeUndefined();
  });
});
