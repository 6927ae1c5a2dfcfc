/**
 * Orientation markers for a 2D slice: which patient direction lies towards each edge of the
 * image, from Image Orientation (Patient). Letters as on film: L/R, A/P, H/F (zh: 左/右, 前/后,
 * 头/足).
 */
export interface OrientationMarkers {
  top: string;
  bottom: string;
  left: string;
  right: string;
}

type Axis = readonly [number, number, number];

/** The letters of a patient-space direction, strongest component first (e.g. "LP"). */
export function directionLetters(v: Axis, threshold = 0.3): string {
  const letters: [number, string][] = [
    [v[0], v[0] < 0 ? 'R' : 'L'],
    [v[1], v[1] < 0 ? 'A' : 'P'],
    [v[2], v[2] < 0 ? 'F' : 'H'],
  ];
  return letters
    .filter(([c]) => Math.abs(c) > threshold)
    .sort((a, b) => Math.abs(b[0]) - Math.abs(a[0]))
    .map(([, l]) => l)
    .join('');
}

function negate(v: Axis): Axis {
  return [-v[0], -v[1], -v[2]];
}

/** undefined without a usable six-number orientation. */
export function orientationMarkers(imageOrientation: readonly number[] | undefined): OrientationMarkers | undefined {
  if (!imageOrientation || imageOrientation.length !== 6 || imageOrientation.some((n) => !Number.isFinite(n))) return undefined;
  const row: Axis = [imageOrientation[0]!, imageOrientation[1]!, imageOrientation[2]!];
  const column: Axis = [imageOrientation[3]!, imageOrientation[4]!, imageOrientation[5]!];
  // The row direction points from the image's left edge to its right edge; the column
  // direction from top to bottom.
  return {
    right: directionLetters(row),
    left: directionLetters(negate(row)),
    bottom: directionLetters(column),
    top: directionLetters(negate(column)),
  };
}
