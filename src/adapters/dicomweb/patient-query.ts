/**
 * What a clinician typed, as QIDO-RS study queries. Names are searched with wildcards; a 汉字
 * name is searched both as typed (servers that match the ideographic group) and in pinyin
 * (PACS that registered only the alphabetic group, and servers whose QIDO-RS cannot match
 * non-ASCII text, such as Orthanc 1.10's DICOMweb plugin). Hits are then filtered on the 汉字.
 */
import { pinyin } from 'pinyin-pro';
import type { PersonName } from './dicom-json.ts';

const HAN = /\p{Script=Han}/u;
const ID_LIKE = /^[A-Za-z0-9][A-Za-z0-9\-._]*$/;

export interface PatientSearchPlan {
  /** One QIDO-RS studies query each; their hits are unioned. */
  queries: Record<string, string>[];
  /** Drops hits whose name contradicts what was typed. */
  keep(name: PersonName | undefined): boolean;
}

const capitalize = (w: string): string => (w ? w[0]!.toUpperCase() + w.slice(1).toLowerCase() : w);
/** Capitalized like most PACS store pinyin ("Zhang^Wei"): matches case-sensitive servers too. */
const wildcard = (parts: readonly string[]): string => `*${parts.join('*')}*`;

export function planPatientSearch(typed: string): PatientSearchPlan | undefined {
  // Wildcards and PN delimiters typed by the user are not query syntax here.
  const cleaned = typed.replace(/[*?\\=]/g, ' ').trim();
  if (!cleaned) return undefined;
  if (ID_LIKE.test(cleaned) && /\d/.test(cleaned)) {
    return { queries: [{ PatientID: cleaned }], keep: () => true };
  }
  if (HAN.test(cleaned)) {
    const han = [...cleaned].filter((c) => HAN.test(c));
    const syllables = pinyin(han.join(''), { toneType: 'none', type: 'array', surname: 'head' }).filter((s) => /^[a-z]+$/i.test(s));
    const queries = [{ PatientName: wildcard(han) }];
    if (syllables.length === han.length) queries.push({ PatientName: wildcard(syllables.map(capitalize)) });
    const typedHan = han.join('');
    return {
      queries,
      keep(name) {
        const hanForm = [name?.ideographic, name?.alphabetic].find((g) => g !== undefined && HAN.test(g));
        // A pinyin-only registration may be this patient; a different 汉字 name is not.
        return hanForm === undefined || hanForm.replace(/[\^\s]/g, '').includes(typedHan);
      },
    };
  }
  const words = cleaned.split(/[\s,^]+/).filter(Boolean);
  return { queries: [{ PatientName: wildcard(words.map(capitalize)) }], keep: () => true };
}
