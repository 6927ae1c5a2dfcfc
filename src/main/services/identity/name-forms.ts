import type { HumanName } from '@medplum/fhirtypes';
import { pinyin } from 'pinyin-pro';
import { formatHumanName } from './patient-names.ts';
import { splitChineseName } from '../../../shared/domain/chinese-surname.ts';
import { BoundedMemo } from '../../../shared/lib/bounded-memo.ts';

/**
 * One way a record writes a person's name, reduced to what matching compares: family and given
 * name as tone-less pinyin (for 汉字) or case- and diacritic-folded Latin letters, without spaces.
 * The 汉字 are kept too, because two names can read the same and still be different (张伟 / 章伟).
 */
export interface NameForm {
  /** As the record writes it, for explanations. */
  display: string;
  family: string;
  given: string;
  han?: { family: string; given: string };
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const CJK_ALL = /[\u3400-\u9fff\uf900-\ufaff]/g;

// pinyin-pro converts ~100k characters a second; names repeat, so a bounded cache pays. Keyed
// "s" + 汉字 read as a surname, "g" + 汉字 read as a given name.
const readings = new BoundedMemo<string, string>(50_000);
const readKey = (key: string) =>
  pinyin(key.slice(1), { toneType: 'none', type: 'array', v: true, surname: key.startsWith('s') ? 'all' : 'off', nonZh: 'removed' }).join(
    '',
  );

/** Tone-less pinyin, ü written v (lü → lv) as Chinese systems commonly print it. */
export function hanReading(han: string, asSurname: boolean): string {
  return readings.get(`${asSurname ? 's' : 'g'}${han}`, readKey);
}

/** Lower-case ASCII letters only: "Zhāng-Wěi" → "zhangwei", "Lü" → "lv", "Müller" → "muller". */
export function foldLatin(text: string): string {
  return (
    text
      // Pinyin writes ü only after l and n (Lü, Nü), where Chinese systems print v; elsewhere
      // (Müller) it is a Western umlaut and folds to u.
      .replace(/([lnLN])[üÜǖǘǚǜǕǗǙǛ]/g, '$1v')
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z]/g, '')
  );
}

function splitHanFullName(full: string): { family: string; given: string } {
  // Names of ethnic minorities (阿依古丽·买买提) have no family/given split: keep them whole as given.
  if (full.includes('·')) return { family: '', given: full.replace(/·/g, '') };
  return splitChineseName(full);
}

function hanOnly(text: string): string {
  return (text.match(CJK_ALL) ?? []).join('');
}

function hanForm(name: HumanName): Omit<NameForm, 'display'> | undefined {
  const family = hanOnly(name.family ?? '');
  const given = hanOnly((name.given ?? []).join(''));
  let parts = { family, given };
  if (!family && !given) {
    const text = (name.text ?? '').replace(/[^\u3400-\u9fff\uf900-\ufaff·]/g, '');
    if (!text) return undefined;
    parts = splitHanFullName(text);
  }
  return { family: parts.family ? hanReading(parts.family, true) : '', given: hanReading(parts.given, false), han: parts };
}

function latinForm(name: HumanName): Omit<NameForm, 'display'> | undefined {
  const family = foldLatin(name.family ?? '');
  const given = foldLatin((name.given ?? []).join(''));
  if (family || given) return { family, given };
  const text = name.text?.trim();
  if (!text) return undefined;
  // "ZHANG, Wei" and "ZHANG Wei" say which part is the family name; otherwise assume the
  // Western order. Matching tries both orders anyway, so a wrong guess costs only a small penalty.
  if (text.includes(',')) {
    const [f = '', ...rest] = text.split(',');
    return { family: foldLatin(f), given: foldLatin(rest.join('')) };
  }
  const tokens = text.split(/\s+/).filter(Boolean);
  const upperIndex = tokens.findIndex((t) => t.length > 1 && t === t.toUpperCase() && /[A-Z]/.test(t));
  if (upperIndex >= 0 && tokens.some((t) => t !== t.toUpperCase())) {
    return { family: foldLatin(tokens[upperIndex]!), given: foldLatin(tokens.filter((_, i) => i !== upperIndex).join('')) };
  }
  if (tokens.length === 1) return { family: '', given: foldLatin(tokens[0]!) };
  return { family: foldLatin(tokens.at(-1)!), given: foldLatin(tokens.slice(0, -1).join('')) };
}

/** Every comparable form of a record's names, without duplicates. */
export function nameForms(names: readonly HumanName[]): NameForm[] {
  const forms: NameForm[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const isHan = CJK.test(`${name.family ?? ''}${(name.given ?? []).join('')}${name.text ?? ''}`);
    const form = isHan ? hanForm(name) : latinForm(name);
    if (!form || (!form.family && !form.given)) continue;
    const key = `${form.family}|${form.given}|${form.han?.family ?? ''}|${form.han?.given ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    forms.push({
      display: form.han ? form.han.family + form.han.given : (formatHumanName(name) ?? `${form.given} ${form.family}`),
      ...form,
    });
  }
  return forms;
}

/**
 * Romanisations of surnames other than Hanyu Pinyin (Wade–Giles, Cantonese, Hokkien) that
 * records from Hong Kong, Taiwan, Singapore or abroad carry, mapped to their pinyin readings.
 */
const SURNAME_VARIANTS: Readonly<Record<string, readonly string[]>> = {
  chang: ['zhang'],
  cheung: ['zhang'],
  cheong: ['zhang'],
  teo: ['zhang'],
  wong: ['wang', 'huang'],
  ong: ['wang'],
  lee: ['li'],
  chan: ['chen'],
  tan: ['chen'],
  chow: ['zhou'],
  chou: ['zhou'],
  hsu: ['xu'],
  tsui: ['xu'],
  tsai: ['cai'],
  choi: ['cai'],
  lau: ['liu'],
  ng: ['wu', 'huang'],
  ho: ['he'],
  kwok: ['guo'],
  kuo: ['guo'],
  yeung: ['yang'],
  yip: ['ye'],
  lam: ['lin'],
  lim: ['lin'],
  leung: ['liang'],
  tse: ['xie'],
  hsieh: ['xie'],
  cheng: ['zheng'],
  chiang: ['jiang'],
  chu: ['zhu'],
  koo: ['gu'],
  fung: ['feng'],
  lu: ['lv'],
  lyu: ['lv'],
  hui: ['xu'],
  tang: ['deng'],
  tsang: ['zeng'],
  tseng: ['zeng'],
  au: ['ou'],
  auyeung: ['ouyang'],
  szeto: ['situ'],
  shum: ['shen'],
  mak: ['mai'],
  kong: ['jiang'],
};

/** True when one surname is a known non-pinyin romanisation of the other. */
export function isSurnameVariant(a: string, b: string): boolean {
  return (SURNAME_VARIANTS[a]?.includes(b) ?? false) || (SURNAME_VARIANTS[b]?.includes(a) ?? false);
}
