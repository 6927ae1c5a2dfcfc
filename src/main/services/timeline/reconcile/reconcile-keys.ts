import type { TimelineCoding, TimelineEntry } from '../../../../shared/domain/timeline.ts';
import { BoundedMemo } from '../../../../shared/lib/bounded-memo.ts';
import { ATC_SYSTEM, DRUG_SYSTEM_ALIASES, DRUGS, RXNORM_SYSTEM } from './drug-code-list.ts';

/**
 * Record types that state what is true of the patient (a problem, an allergy, a drug being
 * taken) rather than an event at a time. Two systems saying the same such thing on different
 * days are one fact, so these reconcile by what they name, without a time bucket.
 */
export type ReconciledGroup = 'condition' | 'allergy' | 'medication';

const GROUP_BY_TYPE: Readonly<Record<string, ReconciledGroup>> = {
  Condition: 'condition',
  AllergyIntolerance: 'allergy',
  // An order and a statement about the same drug are one line of the medication list.
  MedicationRequest: 'medication',
  MedicationStatement: 'medication',
};

export function reconciledGroup(resourceType: string): ReconciledGroup | undefined {
  return GROUP_BY_TYPE[resourceType];
}

const byLocalCode = new Map<string, string>();
const names: { name: string; atc: string }[] = [];
for (const d of DRUGS) {
  for (const c of d.localCodes ?? []) byLocalCode.set(c, d.atc);
  for (const n of d.names) names.push({ name: n, atc: d.atc });
}
// Longest first, so "阿托伐他汀" is not read as a shorter name it contains.
names.sort((a, b) => b.name.length - a.name.length);

function canonicalSystem(system: string | undefined): string {
  if (!system) return '';
  return DRUG_SYSTEM_ALIASES.get(system) ?? system;
}

function codeKey(group: ReconciledGroup, c: TimelineCoding): string | undefined {
  if (!c.code) return undefined;
  const system = canonicalSystem(c.system);
  if (group === 'medication' && system !== ATC_SYSTEM && system !== RXNORM_SYSTEM) {
    // A local formulary code the code list knows is keyed as its ATC code.
    const atc = byLocalCode.get(c.code.toUpperCase());
    if (atc) return `${group}|${ATC_SYSTEM}|${atc}`;
  }
  return `${group}|${system}|${c.code}`;
}

const UNIT_ALIASES: Readonly<Record<string, string>> = {
  µg: 'ug',
  μg: 'ug',
  mcg: 'ug',
  ug: 'ug',
  mg: 'mg',
  g: 'g',
  ml: 'ml',
  iu: 'iu',
  u: 'u',
  '%': '%',
};
const STRENGTH = /(\d+(?:\.\d+)?)\s*(mg|mcg|µg|μg|ug|g|ml|iu|u|%)(?![a-z])/i;
// Dosage forms and salts printed around the ingredient's name; they do not change the drug.
const NOISE =
  /(片|胶囊|肠溶|缓释|控释|分散|注射液|注射用|气雾剂|吸入|颗粒|口服液|滴眼液|软膏|钙|钠|盐酸|\b(tablets?|capsules?|oral|solution|injection|inhaler|extended|release|er|sr|hcl|calcium|sodium)\b)/gi;

/** "500mg" from "二甲双胍片 Metformin 0.5 g" (grams in milligrams, micrograms as ug). */
function strengthOf(text: string): string {
  const m = STRENGTH.exec(text);
  if (!m) return '';
  let value = Number(m[1]);
  let unit = UNIT_ALIASES[m[2]!.toLowerCase()] ?? m[2]!.toLowerCase();
  if (unit === 'g') {
    value *= 1000;
    unit = 'mg';
  }
  return `${Number(value.toPrecision(6))}${unit}`;
}

/** The ingredient of a drug's label: its ATC code when the code list knows the name, else the label without form, strength and punctuation. */
function ingredientOf(text: string): string {
  const lower = text.normalize('NFKC').toLowerCase();
  for (const { name, atc } of names) if (lower.includes(name)) return atc;
  return lower
    .replace(STRENGTH, '')
    .replace(NOISE, '')
    .replace(/[\s\p{P}\p{S}\d]+/gu, '');
}

/** Ingredient + strength of one label; remembered, as a chart repeats a few labels thousands of times (~4 µs each). */
function drugNameKey(text: string): string | undefined {
  const ingredient = ingredientOf(text);
  return ingredient ? `medication|name|${ingredient}|${strengthOf(text)}` : undefined;
}
const drugNameKeys = new BoundedMemo<string, string | undefined>(4_096);

/** A condition's or an allergen's own words, when it has no code: case, width and spacing aside. */
function normalisedText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}]+/gu, '');
}

/**
 * The names under which a problem, allergy or drug is "the same" as another system's: every
 * code it carries (RxNorm, ATC, ICD-10, SNOMED; local drug codes through the code list), and
 * for drugs also the normalised ingredient + strength, so two systems coding one drug
 * differently still meet. A problem or allergy is keyed by its words only when uncoded: two
 * coded diagnoses worded alike but coded apart are left apart. Undefined: never merged.
 */
export function reconcileKeys(group: ReconciledGroup, entry: TimelineEntry, bareReference: boolean): string[] | undefined {
  const keys: string[] = [];
  for (const c of entry.codes) {
    const k = codeKey(group, c);
    if (k) keys.push(k);
  }
  if (group === 'medication') {
    // A drug named only by an unresolved reference ("Medication/1") says nothing comparable.
    if (bareReference && keys.length === 0) return undefined;
    const texts = new Set([entry.title, ...entry.codes.map((c) => c.display).filter((d): d is string => !!d)]);
    // A title that is only the code (an unnamed coding) is not a name.
    for (const c of entry.codes) if (c.code) texts.delete(c.code);
    for (const text of texts) {
      const k = drugNameKeys.get(text, drugNameKey);
      if (k) keys.push(k);
    }
  } else if (keys.length === 0) {
    const text = normalisedText(entry.title);
    if (text) keys.push(`${group}|text|${text}`);
  }
  return keys.length > 0 ? keys : undefined;
}
