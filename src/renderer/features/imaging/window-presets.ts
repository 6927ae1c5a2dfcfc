/** Window/level presets (Hounsfield units), as radiologists name them. */
export interface WindowPreset {
  name: 'soft-tissue' | 'lung' | 'bone' | 'brain' | 'liver';
  width: number;
  center: number;
}

export const WINDOW_PRESETS: readonly WindowPreset[] = [
  { name: 'soft-tissue', width: 400, center: 40 },
  { name: 'lung', width: 1500, center: -600 },
  { name: 'bone', width: 2500, center: 480 },
  { name: 'brain', width: 80, center: 40 },
  { name: 'liver', width: 150, center: 90 },
];

/**
 * Cornerstone's VOI range for a window, by DICOM's linear VOI function (PS3.3 C.11.2.1.2.1),
 * as Cornerstone converts the images' own Window Center/Width: a 400/40 preset and a 400/40
 * in the file read back the same.
 */
export function voiRange(width: number, center: number): { lower: number; upper: number } {
  return { lower: center - 0.5 - (width - 1) / 2, upper: center - 0.5 + (width - 1) / 2 };
}

export function windowOf(range: { lower: number; upper: number }): { width: number; center: number } {
  return { width: range.upper - range.lower + 1, center: (range.upper + range.lower) / 2 + 0.5 };
}
