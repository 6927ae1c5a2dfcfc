import { isMessageKey } from './catalogs.ts';
import type { I18n } from './i18n-context.tsx';

/** A FHIR status code as the clinician's language says it; a code the catalogs do not know stays as sent. */
export function fhirStatusLabel(t: I18n['t'], code: string): string {
  const key = `fhirStatus.${code}`;
  return isMessageKey(key) ? t(key) : code;
}
