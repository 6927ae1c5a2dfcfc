/**
 * Free text (narrative XHTML, document HTML/XML, titles) with the patient's known names,
 * identifiers and phone numbers replaced by their masked forms, plus anything shaped like a
 * 身份证 or a Chinese mobile number (another person's, or one the records never listed).
 * Longest terms first, so "Zhang Wei" is masked as one name rather than as "Zhang" + "Wei".
 */
import type { PrivacyConfig } from '../../../shared/config/privacy.ts';
import { DEFAULT_PRIVACY_CONFIG } from '../../../shared/config/privacy.ts';
import type { KnownIdentity } from './known-identity.ts';
import { maskIdentifierValue, maskResidentId } from './mask-identifier.ts';
import { maskPersonName } from './mask-name.ts';
import { maskPhone } from './mask-phone.ts';

export type TextScrubber = (text: string) => string;

const RESIDENT_ID_IN_TEXT = /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
const MOBILE_IN_TEXT = /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A name matches with any run of spaces or DICOM carets between its parts, in any letter case. */
function namePattern(name: string): string {
  return name
    .trim()
    .split(/[\s^]+/)
    .map(escapeRegExp)
    .join('[\\s^]+');
}

export function createTextScrubber(known: KnownIdentity, options: PrivacyConfig = DEFAULT_PRIVACY_CONFIG): TextScrubber {
  const replacements = new Map<string, string>();
  const patterns: string[] = [];
  const add = (term: string, masked: string, pattern: string) => {
    const key = term.toLowerCase();
    if (replacements.has(key) || term.trim().length < 2) return;
    replacements.set(key, masked);
    patterns.push(pattern);
  };
  // Longest first so that a full name wins over its parts inside the alternation.
  const byLength = (a: string, b: string) => b.length - a.length;
  for (const id of [...known.identifiers].sort(byLength)) add(id, maskIdentifierValue(id, options), escapeRegExp(id));
  for (const phone of [...known.phones].sort(byLength)) add(phone, maskPhone(phone, options), escapeRegExp(phone));
  for (const name of [...known.names].sort(byLength)) add(name.replace(/[\s^]+/g, ' '), maskPersonName(name, options), namePattern(name));

  const knownTerms = patterns.length > 0 ? new RegExp(patterns.sort((a, b) => b.length - a.length).join('|'), 'giu') : undefined;
  const maskedFor = (match: string) => replacements.get(match.replace(/[\s^]+/g, ' ').toLowerCase()) ?? maskPersonName(match, options);

  return (text: string): string => {
    if (typeof text !== 'string' || text === '') return '';
    let out = knownTerms ? text.replace(knownTerms, maskedFor) : text;
    out = out.replace(RESIDENT_ID_IN_TEXT, (id) => maskResidentId(id, options));
    out = out.replace(MOBILE_IN_TEXT, (phone) => maskPhone(phone, options));
    return out;
  };
}
