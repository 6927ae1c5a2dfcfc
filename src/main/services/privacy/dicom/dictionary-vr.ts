/**
 * The dictionary VR of a tag, for implicit VR data sets, which do not say what their values are.
 * dcmjs (already a dependency, for the de-identified export) carries the PS3.6 dictionary. Its
 * repeating-group entries are not used: "(60xx,3000)" maps to HistogramSequence there, which
 * would make overlay data parse as a sequence; an unlisted tag is unknown and treated as UN.
 */
import { createRequire } from 'node:module';

interface DcmjsDictionaryModule {
  data: { DicomMetaDictionary: { dictionary: Record<string, { vr?: string } | undefined> } };
}

const dictionary = (createRequire(import.meta.url)('dcmjs') as DcmjsDictionaryModule).data.DicomMetaDictionary.dictionary;

/** `tag` as 8 hex digits; undefined for private and unlisted tags. */
export function dictionaryVr(tag: string): string | undefined {
  const entry = dictionary[`(${tag.slice(0, 4).toUpperCase()},${tag.slice(4).toUpperCase()})`];
  const vr = entry?.vr;
  if (vr === undefined || vr === 'na') return undefined;
  // Ambiguous entries ("ox" pixel data, "xs" US-or-SS): binary either way.
  return /^[A-Z]{2}$/.test(vr) ? vr : 'OB';
}
