/**
 * Addresses keep the first two administrative levels and hide the rest behind a fixed-length
 * mask (so the length does not hint at the street): 广东省广州市天河区体育西路1号 → 广东省广州市******;
 * for a municipality (直辖市) the district is the second level: 北京市东城区东华门大街1号 → 北京市东城区******.
 * Addresses that are not Chinese keep nothing but the mask.
 */
import type { Address } from '@medplum/fhirtypes';
import type { PrivacyConfig } from '../../../shared/config/privacy.ts';
import { DEFAULT_PRIVACY_CONFIG } from '../../../shared/config/privacy.ts';
import { stars } from './mask-chars.ts';

const HIDDEN_LENGTH = 6;
const MUNICIPALITIES = ['北京市', '上海市', '天津市', '重庆市', '北京', '上海', '天津', '重庆'];
const PROVINCE = /^[\u4e00-\u9fff]{2,8}?(?:省|自治区|特别行政区)/u;
const CITY = /^[\u4e00-\u9fff]{1,8}?(?:市|自治州|地区|盟)/u;
const DISTRICT = /^[\u4e00-\u9fff]{1,6}?(?:区|县)/u;

function municipalityPrefix(text: string): string | undefined {
  return MUNICIPALITIES.find((m) => text.startsWith(m));
}

/** The part of a Chinese address text that stays readable ('' when none is recognised). */
export function visibleAddressPrefix(text: string): string {
  const t = text.trim();
  const municipality = municipalityPrefix(t);
  if (municipality) {
    const district = DISTRICT.exec(t.slice(municipality.length))?.[0] ?? '';
    return municipality + district;
  }
  const province = PROVINCE.exec(t)?.[0] ?? '';
  const city = CITY.exec(t.slice(province.length))?.[0] ?? '';
  return province + city;
}

export function maskAddressText(text: string | undefined, maskChar: string = DEFAULT_PRIVACY_CONFIG.maskChar): string {
  if (typeof text !== 'string' || text.trim() === '') return '';
  const visible = visibleAddressPrefix(text);
  return visible + stars(HIDDEN_LENGTH, maskChar);
}

/**
 * A FHIR Address: state and city stay (the district too in a municipality); lines and postal
 * code hide; text is masked by the text rule, or rebuilt from the kept parts when absent.
 */
export function maskAddress(address: Address, options: Pick<PrivacyConfig, 'maskChar'> = DEFAULT_PRIVACY_CONFIG): Address {
  const hidden = stars(HIDDEN_LENGTH, options.maskChar);
  const { line, postalCode, district, text, ...kept } = address;
  const inMunicipality = [address.state, address.city].some((part) => part !== undefined && municipalityPrefix(part) !== undefined);
  const masked: Address = { ...kept };
  if (district !== undefined) masked.district = inMunicipality ? district : hidden;
  if (line !== undefined) masked.line = line.map(() => hidden);
  if (postalCode !== undefined) masked.postalCode = hidden;
  const composed = `${address.state ?? ''}${address.city ?? ''}${inMunicipality ? (district ?? '') : ''}`;
  if (text !== undefined) masked.text = maskAddressText(text, options.maskChar);
  else if (line !== undefined || postalCode !== undefined || (district !== undefined && !inMunicipality)) masked.text = composed + hidden;
  return masked;
}
