/** Birth dates on masked records: the year only (1968-03-12 → 1968), or nothing. */
import type { PrivacyConfig } from '../../../shared/config/privacy.ts';

const YEAR = /^(\d{4})/;

export function maskBirthDate(value: string | undefined, mode: PrivacyConfig['birthDate']): string | undefined {
  if (typeof value !== 'string' || mode === 'hide') return undefined;
  return YEAR.exec(value.trim())?.[1];
}
