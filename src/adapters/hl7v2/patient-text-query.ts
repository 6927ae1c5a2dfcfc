/**
 * What a clinician typed → PDQ parameters. 汉字 names are split family-first (compound
 * surnames such as 欧阳 kept whole); two Latin words are tried in both orders, since "Zhang
 * Wei" and "Wei Zhang" are both common ways to write the same pinyin name.
 */
import { classifyPatientQuery } from '../query/patient-query.ts';
import type { PdqParameters } from './queries.ts';

const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕', '令狐', '端木', '独孤', '南宫', '西门', '百里', '呼延', '申屠', '太史', '闻人', '澹台', '公冶', '宗政', '濮阳', '淳于', '单于', '钟离', '赫连'];
const HAN_ONLY = /^\p{Script=Han}+$/u;

export function splitHanName(name: string): { family: string; given?: string } {
  const compound = COMPOUND_SURNAMES.find((s) => name.startsWith(s) && name.length > s.length);
  const cut = compound ? compound.length : 1;
  return name.length > cut ? { family: name.slice(0, cut), given: name.slice(cut) } : { family: name };
}

/** One or more PDQ parameter sets to ask (their hits are merged); [] when nothing searchable. */
export function pdqQueriesFor(text: string): PdqParameters[] {
  const parsed = classifyPatientQuery(text);
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
