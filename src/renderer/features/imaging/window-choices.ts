import { TAGS, numbers, type Dataset } from './dicom-json.ts';
import { WINDOW_PRESETS, type WindowPreset } from './window-presets.ts';

/** One entry of the window menu: a named preset, or the window the image itself carries. */
export interface WindowChoice {
  name: WindowPreset['name'] | 'image';
  width: number;
  center: number;
}

/** What the menu shows as chosen: an entry, `custom` for any other window, nothing before the first image. */
export type CurrentWindow = WindowChoice['name'] | 'custom' | undefined;

/** Modalities whose pixels are Hounsfield units: only there do the named windows mean what they say. */
const HOUNSFIELD = new Set(['CT']);

/**
 * The windows offered for a series: the Hounsfield presets for CT; for every modality the image's
 * own window (its Window Center/Width) unless a preset already is that window. An MR or a
 * radiograph has no absolute scale, so a "lung window" there would only mislead.
 */
export function windowChoices(modality: string | undefined, own: { width: number; center: number } | undefined): WindowChoice[] {
  const presets: WindowChoice[] = modality && HOUNSFIELD.has(modality) ? [...WINDOW_PRESETS] : [];
  const ownIsPreset = own && presets.some((p) => same(p, own.width, own.center));
  return own && !ownIsPreset && own.width > 0 ? [...presets, { name: 'image', ...own }] : presets;
}

/** The readout rounds to whole numbers (stack-viewer-actions): a window within half a unit is that window. */
const same = (c: { width: number; center: number }, width: number, center: number) =>
  Math.abs(c.width - width) < 0.5 && Math.abs(c.center - center) < 0.5;

/** Which entry the window now drawn is, derived from the readout so the menu never disagrees with the picture. */
export function currentWindow(choices: readonly WindowChoice[], width: number | undefined, center: number | undefined): CurrentWindow {
  if (width === undefined || center === undefined) return undefined;
  return choices.find((c) => same(c, width, center))?.name ?? 'custom';
}

/** The window an image carries (its first Window Center/Width pair), if any. */
export function ownWindow(dataset: Dataset | undefined): { width: number; center: number } | undefined {
  const width = dataset ? numbers(dataset, TAGS.WindowWidth)[0] : undefined;
  const center = dataset ? numbers(dataset, TAGS.WindowCenter)[0] : undefined;
  return width !== undefined && center !== undefined ? { width, center } : undefined;
}
