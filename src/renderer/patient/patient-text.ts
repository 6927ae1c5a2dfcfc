import type { PatientCandidate, PatientIdentifier } from '../../shared/domain/patient.ts';
import type { I18n } from '../i18n/i18n-context.tsx';
import type { MessageKey } from '../i18n/catalogs.ts';
import { computeAge } from '../lib/age.ts';

type T = Pick<I18n, 't' | 'fmt'>;

export function genderText({ t }: T, gender: PatientCandidate['gender']): string {
  return t(`gender.${gender ?? 'unknown'}` as MessageKey);
}

export function ageText({ t }: T, birthDate: string | undefined, now?: Date): string {
  const age = computeAge(birthDate, now);
  if (!age) return t('age.unknown');
  const text = t(`age.${age.unit}` as MessageKey, { n: age.value });
  return age.approximate ? t('age.approx', { age: text }) : text;
}

export interface IdentifierTypeText {
  text: string;
  /** Set when `text` is the source's own label, shown untranslated: which system's words they are. */
  sourceWording?: { source: string };
}

/** An identifier's type in the UI's language from its code; a type only the source knows keeps the source's words, marked as such. */
export function identifierTypeText({ t }: T, id: PatientIdentifier, sourceName: (sourceId: string) => string): IdentifierTypeText {
  if (id.typeCode) return { text: t(`idType.${id.typeCode}`) };
  if (id.label) return { text: id.label, sourceWording: { source: sourceName(id.sourceId) } };
  return { text: id.system ?? sourceName(id.sourceId) };
}

export function linkText({ t }: T, link: PatientCandidate['link']): string {
  return t(`link.${link.outcome}` as MessageKey);
}

/** The distinct systems a candidate's records come from, in ref order. */
export function candidateSourceIds(candidate: PatientCandidate): string[] {
  return [...new Set(candidate.refs.map((r) => r.sourceId))];
}
