/**
 * What a clinician typed → PDQ parameters. 汉字 names are split family-first (compound
 * surnames such as 欧阳 kept whole); two Latin words are tried in both orders, since "Zhang
 * Wei" and "Wei Zhang" are both common ways to write the same pinyin name.
 */
import { patientQueryReadings, type PatientSearchParams } from '../query/patient-query.ts';
import type { PdqParameters } from './queries.ts';
import { splitChineseName } from '../../shared/domain/chinese-surname.ts';

const HAN_ONLY = /^\p{Script=Han}+$/u;

export function splitHanName(name: string): { family: string; given?: string } {
  const { family, given } = splitChineseName(name);
  return given ? { family, given } : { family };
}

/** One or more PDQ parameter sets to ask (their hits are merged); [] when nothing searchable. */
export function pdqQueriesFor(text: string): PdqParameters[] {
  return patientQueryReadings(text).flatMap(pdqQueriesForReading);
}

function pdqQueriesForReading(parsed: PatientSearchParams): PdqParameters[] {
  const base: PdqParameters = {
    ...(parsed.identifier ? { identifier: parsed.identifier } : {}),
    ...(parsed.birthdate ? { birthDate: parsed.birthdate } : {}),
  };
  const name = parsed.name?.trim();
  if (!name) return Object.keys(base).length > 0 ? [base] : [];
  const words = name.split(/\s+/);
  if (words.length === 1 && HAN_ONLY.test(name)) return [{ ...base, ...splitHanName(name) }];
  if (words.length === 1) return [{ ...base, family: name }];
  const [a, b] = [words[0]!, words.slice(1).join(' ')];
  return [
    { ...base, family: a, given: b },
    { ...base, family: words[words.length - 1]!, given: words.slice(0, -1).join(' ') },
  ];
}
