import { describe, expect, it } from 'vitest';
import {
  datasetPosition,
  matchingSlice,
  nearestSlice,
  sliceNormal,
  slicePosition,
  type SlicePlane,
} from '../../../../../src/renderer/features/imaging/slice-position.ts';

const AXIAL = { rowCosines: [1, 0, 0], columnCosines: [0, 1, 0] } as const;

/** An axial stack from head to foot (descending z), as the viewer orders it. */
function axialStack(firstZ: number, count: number, spacing: number, shift: readonly [number, number] = [0, 0]): SlicePlane[] {
  return Array.from({ length: count }, (_, i) => ({
    ...AXIAL,
    imagePositionPatient: [shift[0], shift[1], firstZ + (count - 1 - i) * spacing],
  }));
}

describe('slice position: where a slice lies along its normal', () => {
  it('projects ImagePositionPatient on row × column; x/y offsets of the field of view do not count', () => {
    expect(sliceNormal(AXIAL)).toEqual([0, 0, 1]);
    expect(slicePosition({ ...AXIAL, imagePositionPatient: [-180, -200, 42.5] }, sliceNormal(AXIAL))).toBe(42.5);
  });

  it('an oblique stack measures along its own tilted normal', () => {
    const c = Math.SQRT1_2;
    const plane = { rowCosines: [1, 0, 0], columnCosines: [0, c, -c], imagePositionPatient: [0, 10, 10] };
    const normal = sliceNormal(plane)!;
    expect(normal[0]).toBeCloseTo(0);
    expect(normal[1]).toBeCloseTo(c);
    expect(normal[2]).toBeCloseTo(c);
    expect(slicePosition(plane, normal)).toBeCloseTo(20 * c);
  });

  it('falls back to Slice Location without a position, and knows nothing without either', () => {
    expect(slicePosition({ sliceLocation: -12.5 }, undefined)).toBe(-12.5);
    expect(slicePosition({}, undefined)).toBeUndefined();
    expect(sliceNormal({ rowCosines: [1, 0, 0], columnCosines: [1, 0, 0] })).toBeUndefined();
  });

  it('reads a slice position from DICOM JSON (the overlay and its data attribute)', () => {
    const dataset = {
      '00200032': { vr: 'DS', Value: [-100, -120, '-37.5'] },
      '00200037': { vr: 'DS', Value: [1, 0, 0, 0, 1, 0] },
    };
    expect(datasetPosition(dataset)).toBe(-37.5);
    expect(datasetPosition({})).toBeUndefined();
  });
});

describe('matching slices between stacks: the nearest position, not the same index', () => {
  it('nearestSlice picks the closest known position, the first of equals', () => {
    expect(nearestSlice([10, 7.5, 5, 2.5], 6)).toBe(2);
    expect(nearestSlice([10, undefined, 5], 8)).toBe(0);
    expect(nearestSlice([4, 2], 3)).toBe(0);
    expect(nearestSlice([undefined], 3)).toBe(-1);
  });

  it('a 1.5 mm current and a 2.5 mm prior of the same chest: slice 9 of the current matches slice 7 of the prior', () => {
    // The demo PACS's small profile: 12 slices each, centred on z = 0.
    const current = axialStack(-9, 12, 1.5);
    const prior = axialStack(-15, 12, 2.5, [3, -4]);
    expect(current[9]!.imagePositionPatient![2]).toBe(-6);
    const match = matchingSlice(current[9]!, prior);
    expect(match).toBe(7);
    expect(prior[7]!.imagePositionPatient![2]).toBe(-5);
    // The same index would be 4 mm further away.
    expect(prior[9]!.imagePositionPatient![2]).toBe(-10);
  });

  it('beyond the end of the other stack it stays at that stack’s nearest end', () => {
    const current = axialStack(-100, 5, 5);
    const prior = axialStack(0, 5, 5);
    expect(matchingSlice(current[4]!, prior)).toBe(4);
    expect(matchingSlice(current[0]!, prior)).toBe(4);
  });

  it('a prior ordered foot to head still matches by position', () => {
    const current = axialStack(0, 10, 2);
    const prior = axialStack(0, 10, 2).reverse();
    expect(matchingSlice(current[2]!, prior)).toBe(7);
  });

  it('without geometry on either side nothing is matched (no silent fallback to the index)', () => {
    expect(matchingSlice({}, axialStack(0, 3, 1))).toBeUndefined();
    expect(matchingSlice(axialStack(0, 3, 1)[0]!, [{}, {}])).toBeUndefined();
  });
});
