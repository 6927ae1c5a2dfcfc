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

/** Cornerstone's VOI range for a window. */
export function voiRange(width: number, center: number): { lower: number; upper: number } {
  return { lower: center - width / 2, upper: center + width / 2 };
}

export function windowOf(range: { lower: number; upper: number }): { width: number; center: number } {
  return { width: range.upper - range.lower, center: (range.upper + range.lower) / 2 };
}
