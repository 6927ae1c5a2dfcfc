import { describe, expect, it } from 'vitest';
import { DeferredNumberSet } from '../../../../../src/main/services/identity/deferred-set.ts';
import { linkRecords } from '../../../../../src/main/services/identity/link-records.ts';
import { createPairSet } from '../../../../../src/main/services/identity/pair-set.ts';
import { patient } from './patient-fixtures.ts';

describe('createPairSet', () => {
  it('adds each pair once, tells (i, j) from (j, i), and keeps everything when it grows', () => {
    const set = createPairSet(2);
    expect(set.add(1, 2)).toBe(true);
    expect(set.add(1, 2)).toBe(false);
    expect(set.add(2, 1)).toBe(true);
    expect(set.add(0, 0)).toBe(true);
    for (let i = 0; i < 3_000; i++) expect(set.add(i, 99_999)).toBe(true);
    for (let i = 0; i < 3_000; i++) expect(set.add(i, 99_999)).toBe(false);
    expect(set.add(1, 2)).toBe(false);
    expect(set.add(0, 0)).toBe(false);
  });
});

describe('DeferredNumberSet', () => {
  it('behaves as the Set of its members through every reading method', () => {
    const set = new DeferredNumberSet([3, 1e10, 3, 7]);
    expect(set.size).toBe(3);
    expect(new DeferredNumberSet([1e10]).has(1e10)).toBe(true);
    expect([...new DeferredNumberSet([5, 6])]).toEqual([5, 6]);
    expect([...new DeferredNumberSet([5]).values()]).toEqual([5]);
    expect([...new DeferredNumberSet([5]).keys()]).toEqual([5]);
    expect([...new DeferredNumberSet([5]).entries()]).toEqual([[5, 5]]);
    const seen: number[] = [];
    new DeferredNumberSet([8, 9]).forEach((v) => seen.push(v));
    expect(seen).toEqual([8, 9]);
    const grown = new DeferredNumberSet([1]).add(2);
    expect([...grown]).toEqual([1, 2]);
    const shrunk = new DeferredNumberSet([1, 2]);
    expect(shrunk.delete(1)).toBe(true);
    expect([...shrunk]).toEqual([2]);
    const cleared = new DeferredNumberSet([1, 2]);
    cleared.clear();
    expect(cleared.size).toBe(0);
    expect(new DeferredNumberSet([]).size).toBe(0);
  });

  it('answers ES2025 set algebra (where the runtime has it) with its deferred members', () => {
    type Algebra = { union?: (o: ReadonlySet<number>) => Set<number>; isSubsetOf?: (o: ReadonlySet<number>) => boolean };
    const union = (s: Set<number>) => (s as Set<number> & Algebra).union;
    if (!union(new Set())) return;
    const pair = new DeferredNumberSet([1, 2]) as Set<number> & Algebra;
    expect([...pair.union!(new Set([3]))]).toEqual([1, 2, 3]);
    const deferred = new DeferredNumberSet([1]) as Set<number> & Algebra;
    expect(deferred.isSubsetOf!(new Set([1, 2]))).toBe(true);
    expect((new Set([1]) as Set<number> & Algebra).isSubsetOf!(new DeferredNumberSet([1, 2]))).toBe(true);
  });
});

describe('linkRecords pairs', () => {
  it('explain themselves when read, once, and serialise like plain pairs', () => {
    const records = [
      {
        ref: { sourceId: 'cdr', sourcePatientId: 'a' },
        patient: patient({ id: 'a', han: '张伟', gender: 'male', birthDate: '1968-03-12' }),
      },
      {
        ref: { sourceId: 'his', sourcePatientId: 'b' },
        patient: patient({ id: 'b', latin: 'ZHANG Wei', gender: 'male', birthDate: '1968-03-12' }),
      },
    ];
    const { pairs, doubtful } = linkRecords(records);
    expect(pairs).toHaveLength(1);
    const pair = pairs[0]!;
    expect(pair.comparison).toBe(pair.comparison);
    expect(pair.comparison.evidence.find((e) => e.field === 'birth date')!.reason).toEqual({
      code: 'birth-date-exact',
      weight: expect.closeTo(12.2, 1),
      date: '1968-03-12',
    });
    expect(JSON.parse(JSON.stringify(pair))).toEqual(
      JSON.parse(JSON.stringify({ i: 0, j: 1, outcome: 'linked', comparison: pair.comparison })),
    );
    expect(doubtful.size).toBe(0);
  });
});
