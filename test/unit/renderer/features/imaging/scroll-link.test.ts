import { describe, expect, it } from 'vitest';
import {
  PARALLEL_TOLERANCE_DEGREES,
  datasetPlane,
  planeAngle,
  scrollLink,
} from '../../../../../src/renderer/features/imaging/scroll-link.ts';

const AXIAL = { rowCosines: [1, 0, 0], columnCosines: [0, 1, 0], imagePositionPatient: [0, 0, 10] };
const SAGITTAL = { rowCosines: [0, 1, 0], columnCosines: [0, 0, -1], imagePositionPatient: [5, 0, 0] };
const CORONAL = { rowCosines: [1, 0, 0], columnCosines: [0, 0, -1], imagePositionPatient: [0, 5, 0] };

/** An axial plane tilted about the x axis by `degrees` (a gantry tilt). */
function tilted(degrees: number) {
  const r = (degrees * Math.PI) / 180;
  return { rowCosines: [1, 0, 0], columnCosines: [0, Math.cos(r), -Math.sin(r)], imagePositionPatient: [0, 0, 0] };
}

describe('scroll link: only parallel stacks of one frame or body part scroll together', () => {
  it('measures the angle between the slice planes from the ImageOrientationPatient cross products', () => {
    expect(planeAngle(AXIAL, AXIAL)).toBe(0);
    expect(planeAngle(AXIAL, SAGITTAL)).toBeCloseTo(90, 6);
    expect(planeAngle(SAGITTAL, CORONAL)).toBeCloseTo(90, 6);
    expect(planeAngle(AXIAL, tilted(3))).toBeCloseTo(3, 6);
    // A stack stored foot to head has the opposite normal: the same plane.
    expect(planeAngle(AXIAL, { rowCosines: [-1, 0, 0], columnCosines: [0, 1, 0] })).toBe(0);
    expect(planeAngle(AXIAL, {})).toBeUndefined();
  });

  it('an axial current and a sagittal reformat of the same study are not linked, and say by how much they differ', () => {
    const link = scrollLink({ ...AXIAL, frameOfReferenceUID: '1.2.3' }, { ...SAGITTAL, frameOfReferenceUID: '1.2.3' }, true);
    expect(link).toEqual({ linked: false, reason: 'not-parallel', angle: expect.closeTo(90, 6) as number });
  });

  it('a gantry tilt under the tolerance still links; at or over it, not', () => {
    expect(scrollLink(AXIAL, tilted(PARALLEL_TOLERANCE_DEGREES - 1), true).linked).toBe(true);
    expect(scrollLink(AXIAL, tilted(PARALLEL_TOLERANCE_DEGREES + 1), true)).toMatchObject({ linked: false, reason: 'not-parallel' });
  });

  it('parallel stacks link by one Frame of Reference, or else by the same body part', () => {
    expect(scrollLink({ ...AXIAL, frameOfReferenceUID: '1.2.3' }, { ...AXIAL, frameOfReferenceUID: '1.2.3' }, false).linked).toBe(true);
    expect(scrollLink({ ...AXIAL, frameOfReferenceUID: '1.2.3' }, { ...AXIAL, frameOfReferenceUID: '9.9' }, true).linked).toBe(true);
    expect(scrollLink({ ...AXIAL, frameOfReferenceUID: '1.2.3' }, { ...AXIAL, frameOfReferenceUID: '9.9' }, false)).toEqual({
      linked: false,
      reason: 'other-body-part',
    });
  });

  it('stacks without orientation are not linked (matching by index would show another level as the same)', () => {
    expect(scrollLink({ sliceLocation: 10 }, AXIAL, true)).toEqual({ linked: false, reason: 'no-geometry' });
  });

  it("reads the plane and Frame of Reference from an instance's DICOM JSON", () => {
    const plane = datasetPlane({
      '00200032': { vr: 'DS', Value: [1, 2, 3] },
      '00200037': { vr: 'DS', Value: [0, 1, 0, 0, 0, -1] },
      '00200052': { vr: 'UI', Value: ['1.2.826.0.1.3680043.8.498.1'] },
    });
    expect(plane).toEqual({
      imagePositionPatient: [1, 2, 3],
      rowCosines: [0, 1, 0],
      columnCosines: [0, 0, -1],
      frameOfReferenceUID: '1.2.826.0.1.3680043.8.498.1',
    });
    expect(planeAngle(plane, SAGITTAL)).toBe(0);
    expect(datasetPlane(undefined)).toEqual({});
  });
});
