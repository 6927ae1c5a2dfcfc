/**
 * Whether two stacks may scroll together. Matching by position along one normal is only true
 * for parallel slices: an axial and a sagittal series share no "same slice", and moving one with
 * the other would show unrelated planes as if they matched. So a pair is linked only when its
 * normals are parallel within a tolerance and both lie in one patient frame (same Frame of
 * Reference, or, across scans, the same body part).
 */
import { TAGS, numbers, text, type Dataset } from './dicom-json.ts';
import { sliceNormal, type SlicePlane } from './slice-position.ts';

/** Gantry tilt and repositioning between a current study and its prior stay well under this. */
export const PARALLEL_TOLERANCE_DEGREES = 5;

export type ScrollLink =
  | { linked: true }
  | { linked: false; reason: 'no-geometry' }
  | { linked: false; reason: 'not-parallel'; angle: number }
  | { linked: false; reason: 'other-body-part' };

/** The angle in degrees (0–90) between the two slice planes; undefined when either has no orientation. */
export function planeAngle(a: SlicePlane, b: SlicePlane): number | undefined {
  const na = sliceNormal(a);
  const nb = sliceNormal(b);
  if (!na || !nb) return undefined;
  // Opposite normals (a stack stored foot to head) are the same plane.
  const cos = Math.min(1, Math.abs(na[0] * nb[0] + na[1] * nb[1] + na[2] * nb[2]));
  return (Math.acos(cos) * 180) / Math.PI;
}

/**
 * The verdict for one pair. `sameBodyPart` is the studies' match (BodyPartExamined or
 * description); the Frame of Reference, when both stacks name the same one, suffices alone.
 */
export function scrollLink(a: SlicePlane, b: SlicePlane, sameBodyPart: boolean): ScrollLink {
  const angle = planeAngle(a, b);
  if (angle === undefined) return { linked: false, reason: 'no-geometry' };
  if (angle >= PARALLEL_TOLERANCE_DEGREES) return { linked: false, reason: 'not-parallel', angle };
  const sameFrame = !!a.frameOfReferenceUID && a.frameOfReferenceUID === b.frameOfReferenceUID;
  return sameFrame || sameBodyPart ? { linked: true } : { linked: false, reason: 'other-body-part' };
}

/** A slice's plane from its instance's DICOM JSON (the viewer's metadata, before Cornerstone has it). */
export function datasetPlane(dataset: Dataset | undefined): SlicePlane {
  if (!dataset) return {};
  const iop = numbers(dataset, TAGS.ImageOrientationPatient);
  return {
    imagePositionPatient: numbers(dataset, TAGS.ImagePositionPatient),
    rowCosines: iop.slice(0, 3),
    columnCosines: iop.slice(3, 6),
    frameOfReferenceUID: text(dataset, TAGS.FrameOfReferenceUID) ?? null,
  };
}
