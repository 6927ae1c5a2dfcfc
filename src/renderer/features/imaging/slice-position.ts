/**
 * Where a slice lies along its stack's normal, and which slice of another stack lies nearest.
 * Synchronised scrolling matches positions, not indices: a 2.5 mm prior and a 1.5 mm current
 * of the same chest share no index, but their slices through the carina lie at the same place.
 */
import { TAGS, numbers, type Dataset } from './dicom-json.ts';

export type Vec3 = readonly [number, number, number];

export interface SlicePlane {
  imagePositionPatient?: readonly number[] | null;
  rowCosines?: readonly number[] | null;
  columnCosines?: readonly number[] | null;
  sliceLocation?: number | null;
  frameOfReferenceUID?: string | null;
}

function vec3(values: readonly number[] | null | undefined): Vec3 | undefined {
  if (!values || values.length !== 3 || !values.every(Number.isFinite)) return undefined;
  return [values[0]!, values[1]!, values[2]!];
}

/** The slice normal, row × column (PS3.3 C.7.6.2.1.1); undefined for a missing or degenerate orientation. */
export function sliceNormal(plane: SlicePlane): Vec3 | undefined {
  const r = vec3(plane.rowCosines);
  const c = vec3(plane.columnCosines);
  if (!r || !c) return undefined;
  const n: Vec3 = [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]];
  const length = Math.hypot(...n);
  return length > 1e-6 ? [n[0] / length, n[1] / length, n[2] / length] : undefined;
}

/**
 * The slice's position in mm along `normal` (ImagePositionPatient projected on it); without a
 * position, its Slice Location, which scanners write along the same axis.
 */
export function slicePosition(plane: SlicePlane, normal: Vec3 | undefined): number | undefined {
  const p = vec3(plane.imagePositionPatient);
  if (p && normal) return p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2];
  return typeof plane.sliceLocation === 'number' && Number.isFinite(plane.sliceLocation) ? plane.sliceLocation : undefined;
}

/** The index of the position nearest `target` (the first of equals), or -1 when none is known. */
export function nearestSlice(positions: readonly (number | undefined)[], target: number): number {
  let best = -1;
  let bestDistance = Infinity;
  positions.forEach((p, i) => {
    if (p === undefined) return;
    const distance = Math.abs(p - target);
    if (distance < bestDistance) {
      best = i;
      bestDistance = distance;
    }
  });
  return best;
}

/**
 * Which slice of the target stack matches the source's current slice: projected on the source's
 * normal (stacks of one body part are parallel, their positions comparable along one axis).
 * Undefined when either stack has no usable geometry: then scrolling is not synchronised at all
 * rather than by index, which would show a different level as if it were the same.
 */
export function matchingSlice(source: SlicePlane, targets: readonly SlicePlane[]): number | undefined {
  const normal = sliceNormal(source);
  const at = slicePosition(source, normal);
  if (at === undefined) return undefined;
  const index = nearestSlice(
    targets.map((t) => slicePosition(t, normal)),
    at,
  );
  return index >= 0 ? index : undefined;
}

/** The position of a slice from its instance's DICOM JSON, for the overlay and its data attribute. */
export function datasetPosition(dataset: Dataset | undefined): number | undefined {
  if (!dataset) return undefined;
  const iop = numbers(dataset, TAGS.ImageOrientationPatient);
  const plane: SlicePlane = {
    imagePositionPatient: numbers(dataset, TAGS.ImagePositionPatient),
    rowCosines: iop.slice(0, 3),
    columnCosines: iop.slice(3, 6),
  };
  return slicePosition(plane, sliceNormal(plane));
}
