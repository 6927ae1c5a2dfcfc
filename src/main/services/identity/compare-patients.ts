import { addressSimilarity } from './addresses.ts';
import { compareBirthDates } from './birth-dates.ts';
import { compareNames, type NameComparison } from './compare-names.ts';
import { ADJUSTMENTS, DEFAULT_THRESHOLDS, MATCH_PROBABILITIES, weightOf, type Thresholds } from './match-weights.ts';
import type { PatientFeatures } from './patient-features.ts';

export type PairOutcome = 'linked' | 'possible' | 'not-linked';

/** One piece of evidence with its weight in bits (log2 m/u); 0 when a value is missing. */
export interface Evidence {
  field: 'name' | 'birth date' | 'sex' | 'phone' | 'address' | '身份证' | 'identifier' | 'cross-reference';
  weight: number;
  /** Plain language, for a tooltip. */
  text: string;
}

export interface DeterministicLink {
  kind: 'resident-id' | 'insurance' | 'mpi' | 'passport' | 'cross-reference';
  /** e.g. "same 身份证 11010119680312001X". */
  text: string;
}

export interface PairComparison {
  outcome: PairOutcome;
  /** Sum of the evidence weights, in bits. */
  score: number;
  deterministic?: DeterministicLink;
  evidence: Evidence[];
  /** Why the outcome differs from what the score alone would give (caps and overrides). */
  notes: string[];
  /** Set when the records carry different valid strong identifiers: they must never be grouped. */
  conflict?: string;
}

const W = {
  birthDate: { exact: weightOf(MATCH_PROBABILITIES.birthDate.exact), typo: weightOf(MATCH_PROBABILITIES.birthDate.typo), partial: weightOf(MATCH_PROBABILITIES.birthDate.partial), disagree: weightOf(MATCH_PROBABILITIES.birthDate.disagree) },
  sex: { agree: weightOf(MATCH_PROBABILITIES.sex.agree), disagree: weightOf(MATCH_PROBABILITIES.sex.disagree) },
  phone: { agree: weightOf(MATCH_PROBABILITIES.phone.agree), disagree: weightOf(MATCH_PROBABILITIES.phone.disagree) },
  address: { exact: weightOf(MATCH_PROBABILITIES.address.exact), partial: weightOf(MATCH_PROBABILITIES.address.partial), disagree: weightOf(MATCH_PROBABILITIES.address.disagree) },
  conflict: weightOf(MATCH_PROBABILITIES.strongIdConflict),
};

/** Dice similarity of address bigrams at or above which two addresses count as partly the same. */
const ADDRESS_PARTIAL = 0.6;

const signed = (w: number): string => (w >= 0 ? `+${w.toFixed(1)}` : w.toFixed(1));

/**
 * Most compared pairs are plainly different people and are never shown: formatting their
 * explanations would cost more than scoring them, so texts are built only when asked for.
 */
let explaining = true;
const say = (text: () => string): string => (explaining ? text() : '');

function describeName(n: NameComparison): string {
  const pair = n.a.display === n.b.display ? `${n.a.display} on both` : `${n.a.display} / ${n.b.display}`;
  const parts: string[] = [];
  if (n.family === 'exact' && n.given === 'exact') parts.push(n.a.display === n.b.display ? 'identical' : 'same reading');
  else {
    const say = (part: string, level: string): string | undefined =>
      ({
        exact: `${part} agrees`,
        homophone: `${part} sounds the same but is written with different 汉字`,
        variant: `${part} is another romanisation of the same surname`,
        close: `${part} differs by a typing error`,
        similar: `${part} is similar`,
        disagree: `${part} differs`,
        missing: undefined,
      })[level];
    parts.push(...[say('family name', n.family), say('given name', n.given)].filter((p): p is string => Boolean(p)));
  }
  if (n.transposed) parts.push('given and family names in swapped order');
  return `Name ${pair}: ${parts.join('; ')} (${signed(n.weight)})`;
}

function residentIdEvidence(a: PatientFeatures, b: PatientFeatures): { link?: DeterministicLink; evidence: Evidence[] } {
  const evidence: Evidence[] = [];
  for (const ra of a.residentIds) {
    for (const rb of b.residentIds) {
      const checkA = ra.check;
      if (checkA.valid && rb.check.valid && checkA.id === rb.check.id) {
        const id = checkA.id;
        const doubts = [...ra.mismatches.map((m) => `first record: ${m}`), ...rb.mismatches.map((m) => `second record: ${m}`)];
        if (doubts.length === 0) return { link: { kind: 'resident-id', text: say(() => `same 身份证 ${id}`) }, evidence };
        evidence.push({ field: '身份证', weight: ADJUSTMENTS.doubtfulSharedResidentId, text: say(() => `Same 身份证 ${id}, but it is doubtful (${doubts.join('; ')}) (${signed(ADJUSTMENTS.doubtfulSharedResidentId)})`) });
        return { evidence };
      }
      if (!checkA.valid && ra.value === rb.value) {
        const detail = checkA.detail;
        evidence.push({ field: '身份证', weight: ADJUSTMENTS.sharedInvalidResidentId, text: say(() => `Same 身份证 number ${ra.value}, but it is not valid: ${detail} (${signed(ADJUSTMENTS.sharedInvalidResidentId)})`) });
        return { evidence };
      }
    }
  }
  // find, not filter: this runs for every compared pair, and only the first valid number is named.
  const validA = a.residentIds.find((r) => r.check.valid);
  const validB = validA && b.residentIds.find((r) => r.check.valid);
  if (validA && validB) {
    evidence.push({ field: '身份证', weight: W.conflict, text: say(() => `Different valid 身份证 numbers (${validA.value} / ${validB.value}) (${signed(W.conflict)})`) });
  }
  return { evidence };
}

function strongIdEvidence(a: PatientFeatures, b: PatientFeatures): { link?: DeterministicLink; evidence: Evidence[] } {
  const evidence: Evidence[] = [];
  const conflicted = new Set<string>();
  for (const ia of a.strongIds) {
    for (const ib of b.strongIds) {
      if (ia.kind !== ib.kind || ia.issuer !== ib.issuer) continue;
      if (ia.value === ib.value) return { link: { kind: ia.kind, text: say(() => `same ${ia.label} ${ia.value}`) }, evidence: [] };
      const key = `${ia.kind}|${ia.issuer}`;
      if (!conflicted.has(key)) {
        conflicted.add(key);
        evidence.push({ field: 'identifier', weight: W.conflict, text: say(() => `Different ${ia.label} numbers from the same issuer (${ia.value} / ${ib.value}) (${signed(W.conflict)})`) });
      }
    }
  }
  return { evidence };
}

function crossReference(a: PatientFeatures, b: PatientFeatures): DeterministicLink | undefined {
  if (!a.isCrossReference && !b.isCrossReference) return undefined;
  const bMrns = new Set(b.mrns);
  const shared = a.mrns.find((m) => bMrns.has(m));
  if (!shared) return undefined;
  const [system, value] = [shared.slice(0, shared.lastIndexOf('|')), shared.slice(shared.lastIndexOf('|') + 1)];
  return { kind: 'cross-reference', text: say(() => `a cross-reference (PIX/MPI) record lists MRN ${value} of ${system} for both`) };
}

function birthDateEvidence(a: PatientFeatures, b: PatientFeatures): Evidence {
  const c = compareBirthDates(a.birthDate, b.birthDate);
  const pair = `${a.birthDate} / ${b.birthDate}`;
  switch (c.level) {
    case 'exact': return { field: 'birth date', weight: W.birthDate.exact, text: say(() => `Birth date ${a.birthDate} on both (${signed(W.birthDate.exact)})`) };
    case 'typo': return { field: 'birth date', weight: W.birthDate.typo, text: say(() => `Birth date ${pair}: ${c.how}, probably a typing error (${signed(W.birthDate.typo)})`) };
    case 'partial': return { field: 'birth date', weight: W.birthDate.partial, text: say(() => `Birth date ${pair}: one is incomplete but they agree as far as it goes (${signed(W.birthDate.partial)})`) };
    case 'disagree': return { field: 'birth date', weight: W.birthDate.disagree, text: say(() => `Birth date ${pair} differs (${signed(W.birthDate.disagree)})`) };
    case 'missing': return { field: 'birth date', weight: 0, text: 'Birth date missing on one record (no weight)' };
  }
}

function sexEvidence(a: PatientFeatures, b: PatientFeatures): Evidence {
  if (!a.sex || !b.sex) return { field: 'sex', weight: 0, text: 'Sex missing on one record (no weight)' };
  return a.sex === b.sex
    ? { field: 'sex', weight: W.sex.agree, text: say(() => `Sex ${a.sex} on both (${signed(W.sex.agree)})`) }
    : { field: 'sex', weight: W.sex.disagree, text: say(() => `Sex differs: ${a.sex} / ${b.sex} (${signed(W.sex.disagree)})`) };
}

/**
 * Phone and address belong to a household, not a person: twins, spouses and a parent with a
 * child share them. Their agreement counts only when no part of the names clearly differs;
 * otherwise it would push twins over the threshold.
 */
function householdEvidence(a: PatientFeatures, b: PatientFeatures, namesDiffer: boolean): Evidence[] {
  const evidence: Evidence[] = [];
  if (a.phones.length === 0 || b.phones.length === 0) evidence.push({ field: 'phone', weight: 0, text: 'Phone missing on one record (no weight)' });
  else if (a.phones.some((p) => b.phones.includes(p))) {
    evidence.push(namesDiffer
      ? { field: 'phone', weight: 0, text: 'Same phone, but the names differ: a shared household phone, not counted' }
      : { field: 'phone', weight: W.phone.agree, text: say(() => `Same phone (${signed(W.phone.agree)})`) });
  } else evidence.push({ field: 'phone', weight: W.phone.disagree, text: say(() => `Different phones (${signed(W.phone.disagree)})`) });

  if (a.addresses.length === 0 || b.addresses.length === 0) evidence.push({ field: 'address', weight: 0, text: 'Address missing on one record (no weight)' });
  else {
    let best = 0;
    for (const x of a.addresses) for (const y of b.addresses) best = Math.max(best, addressSimilarity(x, y));
    if (best >= ADDRESS_PARTIAL && namesDiffer) evidence.push({ field: 'address', weight: 0, text: 'Same address, but the names differ: a shared household address, not counted' });
    else if (best === 1) evidence.push({ field: 'address', weight: W.address.exact, text: say(() => `Same address (${signed(W.address.exact)})`) });
    else if (best >= ADDRESS_PARTIAL) evidence.push({ field: 'address', weight: W.address.partial, text: say(() => `Address partly the same (${Math.round(best * 100)}% similar) (${signed(W.address.partial)})`) });
    else evidence.push({ field: 'address', weight: W.address.disagree, text: say(() => `Different addresses (${signed(W.address.disagree)})`) });
  }
  return evidence;
}

export interface CompareOptions {
  thresholds?: Thresholds;
  /** Build the evidence texts (default true); false when only the outcome is needed. */
  explain?: boolean;
}

/**
 * Decides whether two records are the same person. Strong identifiers decide first
 * (deterministic); demographics are always scored too, so every outcome can explain itself.
 */
export function comparePatients(a: PatientFeatures, b: PatientFeatures, options: CompareOptions = {}): PairComparison {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  explaining = options.explain ?? true;
  const resident = residentIdEvidence(a, b);
  const strong = strongIdEvidence(a, b);
  const deterministic = resident.link ?? strong.link ?? crossReference(a, b);

  const evidence: Evidence[] = [...resident.evidence, ...strong.evidence];
  const name = compareNames(a.names, b.names);
  if (name) evidence.push({ field: 'name', weight: name.weight, text: say(() => describeName(name)) });
  else evidence.push({ field: 'name', weight: 0, text: 'Name missing on one record (no weight)' });
  // Either part counts: an all-capitals "SHAN ZHI" may have been read with its parts the wrong way round.
  const namesDiffer = name !== undefined && (name.given === 'disagree' || name.family === 'disagree');
  evidence.push(birthDateEvidence(a, b), sexEvidence(a, b), ...householdEvidence(a, b, namesDiffer));

  const score = evidence.reduce((sum, e) => sum + e.weight, 0);
  const notes: string[] = [];
  let outcome: PairOutcome = score >= thresholds.linked ? 'linked' : score >= thresholds.possible ? 'possible' : 'not-linked';
  if (deterministic) {
    if (score >= 0) outcome = 'linked';
    else {
      outcome = 'possible';
      notes.push(say(() => `${deterministic.text}, but the demographics disagree (score ${score.toFixed(1)}): confirm by hand`));
    }
  } else if (outcome === 'linked' && name && (name.family === 'homophone' || name.given === 'homophone')) {
    outcome = 'possible';
    notes.push('The names are written with different 汉字 that sound the same: confirm by hand');
  }
  const conflictEvidence = deterministic ? undefined : evidence.find((e) => e.weight === W.conflict);
  const conflict = conflictEvidence ? conflictEvidence.text || 'different strong identifiers' : undefined;
  return { outcome, score, deterministic, evidence, notes, ...(conflict ? { conflict } : {}) };
}

/** The tooltip lines for one compared pair: the decision, then each field with its weight. */
export function explainComparison(c: PairComparison, thresholds: Thresholds = DEFAULT_THRESHOLDS): string[] {
  const verdict = { linked: 'Linked', possible: 'Possible match, needs confirmation', 'not-linked': 'Not linked' }[c.outcome];
  const head = c.deterministic
    ? `${verdict}: ${c.deterministic.text}`
    : `${verdict}: score ${c.score.toFixed(1)} (linked from ${thresholds.linked}, possible from ${thresholds.possible})`;
  return [head, ...c.notes, ...c.evidence.map((e) => e.text), ...(c.deterministic ? [`Demographic score ${c.score.toFixed(1)}`] : [])];
}
