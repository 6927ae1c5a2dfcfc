/**
 * Person names, as shown in privacy mode. Chinese names keep the surname (compound surnames
 * such as 欧阳 whole) and, when the given name has two or more characters, its last character:
 * 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧阳*娜, as call screens print them so a patient
 * recognises their own name (with nameKeepGivenLast off: 张**, 欧阳**). A single-character name becomes *. Latin names keep
 * the first letter of each part: "Zhang Wei" → "Z**** W**".
 */
import type { HumanName } from '@medplum/fhirtypes';
import type { PrivacyConfig } from '../../../shared/config/privacy.ts';
import { DEFAULT_PRIVACY_CONFIG } from '../../../shared/config/privacy.ts';
import { HAN, chars, stars } from './mask-chars.ts';
import { splitChineseName } from '../../../shared/domain/chinese-surname.ts';

type NameOptions = Pick<PrivacyConfig, 'maskChar' | 'nameKeepGivenLast'>;

/** The surname part of a Chinese full name: two characters for a 复姓, else one. */
export function chineseSurnameOf(fullName: string): string {
  return splitChineseName(fullName).family;
}

/** A Chinese given name alone: 伟 → *, 三丰 → *丰 (or ** without keeping the last character). */
export function maskChineseGivenName(given: string, options: NameOptions = DEFAULT_PRIVACY_CONFIG): string {
  const cs = chars(given.trim());
  if (cs.length === 0) return '';
  if (cs.length === 1 || !options.nameKeepGivenLast) return stars(cs.length, options.maskChar);
  return stars(cs.length - 1, options.maskChar) + cs[cs.length - 1];
}

export function maskChineseName(fullName: string, options: NameOptions = DEFAULT_PRIVACY_CONFIG): string {
  // Minority names written with a middle dot (阿依古丽·买买提): every character but the first hides.
  const compact = fullName.replace(/[\s^]/g, '');
  if (/[·•・]/.test(compact)) {
    return chars(compact)
      .map((c, i) => (i === 0 || /[·•・]/.test(c) ? c : options.maskChar))
      .join('');
  }
  const cs = chars(compact);
  if (cs.length === 0) return '';
  if (cs.length === 1) return options.maskChar;
  const surname = chineseSurnameOf(compact);
  return surname + maskChineseGivenName(compact.slice(surname.length), options);
}

/** One Latin name part: its first letter stays ("Wei" → "W**"); an initial stays as it is. */
export function maskLatinNamePart(part: string, maskChar: string = DEFAULT_PRIVACY_CONFIG.maskChar): string {
  const cs = chars(part);
  if (cs.length <= 1) return part;
  return cs[0] + stars(cs.length - 1, maskChar);
}

/** Keeps the separators (spaces, DICOM's ^, commas, hyphens) so the shape of the name stays readable. */
export function maskLatinName(name: string, maskChar: string = DEFAULT_PRIVACY_CONFIG.maskChar): string {
  return name
    .split(/([\s^,.\-']+)/)
    .map((token, i) => (i % 2 === 1 ? token : maskLatinNamePart(token, maskChar)))
    .join('');
}

/** Any display name: Chinese rule when it contains Han characters, Latin rule otherwise. */
export function maskPersonName(name: string | undefined, options: NameOptions = DEFAULT_PRIVACY_CONFIG): string {
  if (typeof name !== 'string') return '';
  const trimmed = name.trim();
  if (trimmed === '') return '';
  return HAN.test(trimmed) ? maskChineseName(trimmed, options) : maskLatinName(trimmed, options.maskChar);
}

/**
 * A FHIR HumanName: text, family and given each masked so that text and parts agree
 * (张 + 伟 → 张 + *; "Zhang" + "Wei" → "Z****" + "W**"). Prefixes (Dr.) stay; suffixes go.
 */
export function maskHumanName(name: HumanName, options: NameOptions = DEFAULT_PRIVACY_CONFIG): HumanName {
  const chinese = HAN.test(`${name.text ?? ''}${name.family ?? ''}${(name.given ?? []).join('')}`);
  const { suffix: _suffix, ...rest } = name;
  const masked: HumanName = { ...rest };
  if (name.text !== undefined) masked.text = maskPersonName(name.text, options);
  if (chinese) {
    if (name.family !== undefined) masked.family = name.family;
    if (name.given !== undefined) {
      const joined = name.given.join('');
      const fullGiven = name.family === undefined ? maskChineseName(joined, options) : maskChineseGivenName(joined, options);
      masked.given = [fullGiven];
    }
  } else {
    if (name.family !== undefined) masked.family = maskLatinName(name.family, options.maskChar);
    if (name.given !== undefined) masked.given = name.given.map((g) => maskLatinName(g, options.maskChar));
  }
  return masked;
}
