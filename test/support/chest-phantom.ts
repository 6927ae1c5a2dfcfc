/**
 * The demo PACS's chest CT phantom (src/demo-hospital/pacs/generate-series.py, chest_slice_hu)
 * without its noise, as a reference rendering: a test compares what the viewer drew with the
 * slice it must be, by correlation. Keep in step with the generator.
 */

function inEllipse(y: number, x: number, cy: number, cx: number, ry: number, rx: number): boolean {
  return ((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2 <= 1;
}

/** Hounsfield units at row `y`, column `x` of an n×n slice; t in [0, 1] runs feet to head (slice i of k: i/(k-1)). */
export function chestPhantomHu(n: number, t: number, y: number, x: number): number {
  const c = n / 2;
  let hu = -1000;
  if (inEllipse(y, x, c, c, n * 0.34, n * 0.44)) hu = -80;
  if (inEllipse(y, x, c, c, n * 0.31, n * 0.41)) hu = 40;
  const lung = Math.max(0.05, Math.sin(Math.PI * Math.min(Math.max(t * 1.1 - 0.05, 0), 1)));
  for (const side of [-1, 1]) {
    if (inEllipse(y, x, c - n * 0.02, c + side * n * 0.19, n * 0.24 * lung, n * 0.14 * lung)) hu = -850;
  }
  if (t < 0.6 && inEllipse(y, x, c + n * 0.04, c + n * 0.05, n * 0.12 * (1 - t), n * 0.14 * (1 - t))) hu = 45;
  if (inEllipse(y, x, c - n * 0.06, c - n * 0.03, n * 0.03, n * 0.03)) hu = t > 0.3 ? 180 : 45;
  if (inEllipse(y, x, c + n * 0.23, c, n * 0.055, n * 0.05)) hu = 700;
  if (inEllipse(y, x, c + n * 0.23, c, n * 0.02, n * 0.02)) hu = 20;
  if (inEllipse(y, x, c - n * 0.3, c, n * 0.015, n * 0.05)) hu = 600;
  return hu;
}

/** DICOM's linear VOI function to 0–255. */
export function windowed(value: number, width: number, center: number): number {
  const g = ((value - (center - 0.5)) / (width - 1) + 0.5) * 255;
  return Math.max(0, Math.min(255, g));
}

/** The reference slice, windowed, row by row (n×n values). */
export function chestPhantomSlice(n: number, t: number, width: number, center: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) out.push(windowed(chestPhantomHu(n, t, y, x), width, center));
  return out;
}
