/**
 * Phone numbers keep their last digits and their formatting: 13812345678 → *******5678,
 * "+86 138-1234-5678" → "+** ***-****-5678". A number too short to hide anything by keeping
 * the tail (fewer than phoneKeepEnd + 4 digits) is hidden entirely.
 */
import type { ContactPoint } from '@medplum/fhirtypes';
import type { PrivacyConfig } from '../../../shared/config/privacy.ts';
import { DEFAULT_PRIVACY_CONFIG } from '../../../shared/config/privacy.ts';
import { maskGenericId } from './mask-identifier.ts';
import { maskLatinNamePart } from './mask-name.ts';

type PhoneOptions = Pick<PrivacyConfig, 'maskChar' | 'phoneKeepEnd'>;

const MIN_HIDDEN_DIGITS = 4;

export function maskPhone(value: string | undefined, options: PhoneOptions = DEFAULT_PRIVACY_CONFIG): string {
  if (typeof value !== 'string') return '';
  const digitCount = value.replace(/\D/g, '').length;
  const keep = digitCount >= options.phoneKeepEnd + MIN_HIDDEN_DIGITS ? options.phoneKeepEnd : 0;
  let seen = 0;
  return value.trim().replace(/\d/g, (d) => {
    seen += 1;
    return seen > digitCount - keep ? d : options.maskChar;
  });
}

/** An e-mail address keeps the first letter of its local part and its domain: z***@example.cn. */
export function maskEmail(value: string, maskChar: string = DEFAULT_PRIVACY_CONFIG.maskChar): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return maskLatinNamePart(value, maskChar);
  return maskLatinNamePart(value.slice(0, at), maskChar) + value.slice(at);
}

export function maskContactPoint(point: ContactPoint, options: PrivacyConfig = DEFAULT_PRIVACY_CONFIG): ContactPoint {
  if (point.value === undefined) return { ...point };
  const value =
    point.system === 'email'
      ? maskEmail(point.value, options.maskChar)
      : point.system === 'phone' || point.system === 'fax' || point.system === 'sms' || point.system === 'pager'
        ? maskPhone(point.value, options)
        : maskGenericId(point.value, options);
  return { ...point, value };
}
