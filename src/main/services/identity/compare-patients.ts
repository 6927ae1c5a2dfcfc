import { addressSimilarity } from './addresses.ts';
import { compareBirthDates } from './birth-dates.ts';
import { compareNames } from './compare-names.ts';
import { ADJUSTMENTS, DEFAULT_THRESHOLDS, MATCH_PROBABILITIES, weightOf, type Thresholds } from './match-weights.ts';
import type { DeterministicLink, EvidenceReason, MatcherVerdictReason, OutcomeNote } from '../../../shared/domain/link-reasons.ts';
import type { PatientFeatures } from './patient-features.ts';

export type PairOutcome = 'linked' | 'possible' | 'not-linked';
export type { DeterministicLink, EvidenceReason, OutcomeNote };

/** One compared field: what was found (the reason, worded by the UI) and its weight in bits. */
export interface Evidence {
  field: 'name' | 'birth date' | 'sex' | 'phone' | 'address' | '身份证' | 'identifier';
  weight: number;
  reason: EvidenceReason;
}

export interface PairComparison {
  outcome: PairOutcome;
  /** Sum of the evidence weights, in bits. */
  score: number;
  deterministic?: DeterministicLink;
  evidence: Evidence[];
  /** Why the outcome differs from what the score alone would give (caps and overrides). */
  notes: OutcomeNote[];
  /** Set when the records carry different valid strong identifiers: they must never be grouped. */
  conflict?: EvidenceReason;
}

const W = {
  birthDate: {
    exact: weightOf(MATCH_PROBABILITIES.birthDate.exact),
    typo: weightOf(MATCH_PROBABILITIES.birthDate.typo),
    partial: weightOf(MATCH_PROBABILITIES.birthDate.partial),
    disagree: weightOf(MATCH_PROBABILITIES.birthDate.disagree),
  },
  sex: { agree: weightOf(MATCH_PROBABILITIES.sex.agree), disagree: weightOf(MATCH_PROBABILITIES.sex.disagree) },
  phone: { agree: weightOf(MATCH_PROBABILITIES.phone.agree), disagree: weightOf(MATCH_PROBABILITIES.phone.disagree) },
  address: {
    exact: weightOf(MATCH_PROBABILITIES.address.exact),
    partial: weightOf(MATCH_PROBABILITIES.address.partial),
    disagree: weightOf(MATCH_PROBABILITIES.address.disagree),
  },
  conflict: weightOf(MATCH_PROBABILITIES.strongIdConflict),
};

/** Dice similarity of address bigrams at or above which two addresses count as partly the same. */
const ADDRESS_PARTIAL = 0.6;

function residentIdEvidence(a: PatientFeatures, b: PatientFeatures): { link?: DeterministicLink; evidence: Evidence[] } {
  const evidence: Evidence[] = [];
  for (const ra of a.residentIds) {
    for (const rb of b.residentIds) {
      const checkA = ra.check;
      if (checkA.valid && rb.check.valid && checkA.id === rb.check.id) {
        const value = checkA.id;
        const doubts = [
          ...ra.mismatches.map((m) => ({ record: 'first' as const, ...m })),
          ...rb.mismatches.map((m) => ({ record: 'second' as const, ...m })),
        ];
        if (doubts.length === 0) return { link: { kind: 'resident-id', value }, evidence };
        const weight = ADJUSTMENTS.doubtfulSharedResidentId;
        evidence.push({ field: '身份证', weight, reason: { code: 'resident-id-doubtful', weight, value, doubts } });
        return { evidence };
      }
      if (!checkA.valid && ra.value === rb.value) {
        const weight = ADJUSTMENTS.sharedInvalidResidentId;
        evidence.push({
          field: '身份证',
          weight,
          reason: { code: 'resident-id-invalid', weight, value: ra.value, problem: checkA.problem },
        });
        return { evidence };
      }
    }
  }
  // find, not filter: this runs for every compared pair, and only the first valid number is named.
  const validA = a.residentIds.find((r) => r.check.valid);
  const validB = validA && b.residentIds.find((r) => r.check.valid);
  if (validA && validB) {
    evidence.push({
      field: '身份证',
      weight: W.conflict,
      reason: { code: 'resident-id-conflict', weight: W.conflict, a: validA.value, b: validB.value },
    });
  }
  return { evidence };
}

function strongIdEvidence(a: PatientFeatures, b: PatientFeatures): { link?: DeterministicLink; evidence: Evidence[] } {
  const evidence: Evidence[] = [];
  const conflicted = new Set<string>();
  for (const ia of a.strongIds) {
    for (const ib of b.strongIds) {
      if (ia.kind !== ib.kind || ia.issuer !== ib.issuer) continue;
      if (ia.value === ib.value) return { link: { kind: ia.kind, label: ia.label, value: ia.value }, evidence: [] };
      const key = `${ia.kind}|${ia.issuer}`;
      if (!conflicted.has(key)) {
        conflicted.add(key);
        evidence.push({
          field: 'identifier',
          weight: W.conflict,
          reason: { code: 'identifier-conflict', weight: W.conflict, label: ia.label, a: ia.value, b: ib.value },
        });
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
  const bar = shared.lastIndexOf('|');
  return { kind: 'cross-reference', system: shared.slice(0, bar), value: shared.slice(bar + 1) };
}

function birthDateEvidence(a: PatientFeatures, b: PatientFeatures): Evidence {
  const c = compareBirthDates(a.birthDate, b.birthDate);
  const field = 'birth date';
  const pair = { a: a.birthDate ?? '', b: b.birthDate ?? '' };
  switch (c.level) {
    case 'exact':
      return { field, weight: W.birthDate.exact, reason: { code: 'birth-date-exact', weight: W.birthDate.exact, date: pair.a } };
    case 'typo':
      return { field, weight: W.birthDate.typo, reason: { code: 'birth-date-typo', weight: W.birthDate.typo, ...pair, how: c.how } };
    case 'partial':
      return { field, weight: W.birthDate.partial, reason: { code: 'birth-date-partial', weight: W.birthDate.partial, ...pair } };
    case 'disagree':
      return { field, weight: W.birthDate.disagree, reason: { code: 'birth-date-differs', weight: W.birthDate.disagree, ...pair } };
    case 'missing':
      return { field, weight: 0, reason: { code: 'birth-date-missing', weight: 0 } };
  }
}

function sexEvidence(a: PatientFeatures, b: PatientFeatures): Evidence {
  if (!a.sex || !b.sex) return { field: 'sex', weight: 0, reason: { code: 'sex-missing', weight: 0 } };
  return a.sex === b.sex
    ? { field: 'sex', weight: W.sex.agree, reason: { code: 'sex-same', weight: W.sex.agree, sex: a.sex } }
    : { field: 'sex', weight: W.sex.disagree, reason: { code: 'sex-differs', weight: W.sex.disagree, a: a.sex, b: b.sex } };
}

const phone = (weight: number, code: 'phone-same' | 'phone-household' | 'phone-differs' | 'phone-missing'): Evidence => ({
  field: 'phone',
  weight,
  reason: { code, weight },
});
const address = (weight: number, code: 'address-same' | 'address-household' | 'address-differs' | 'address-missing'): Evidence => ({
  field: 'address',
  weight,
  reason: { code, weight },
});

/**
 * Phone and address belong to a household, not a person: twins, spouses and a parent with a
 * child share them. Their agreement counts only when no part of the names clearly differs;
 * otherwise it would push twins over the threshold.
 */
function householdEvidence(a: PatientFeatures, b: PatientFeatures, namesDiffer: boolean): Evidence[] {
  const evidence: Evidence[] = [];
  if (a.phones.length === 0 || b.phones.length === 0) evidence.push(phone(0, 'phone-missing'));
  else if (a.phones.some((p) => b.phones.includes(p)))
    evidence.push(namesDiffer ? phone(0, 'phone-household') : phone(W.phone.agree, 'phone-same'));
  else evidence.push(phone(W.phone.disagree, 'phone-differs'));

  if (a.addresses.length === 0 || b.addresses.length === 0) evidence.push(address(0, 'address-missing'));
  else {
    let best = 0;
    for (const x of a.addresses) for (const y of b.addresses) best = Math.max(best, addressSimilarity(x, y));
    if (best >= ADDRESS_PARTIAL && namesDiffer) evidence.push(address(0, 'address-household'));
    else if (best === 1) evidence.push(address(W.address.exact, 'address-same'));
    else if (best >= ADDRESS_PARTIAL) {
      evidence.push({
        field: 'address',
        weight: W.address.partial,
        reason: { code: 'address-partly', weight: W.address.partial, percent: Math.round(best * 100) },
      });
    } else evidence.push(address(W.address.disagree, 'address-differs'));
  }
  return evidence;
}

export interface CompareOptions {
  thresholds?: Thresholds;
  /** Keep the evidence and notes (default true); false when only the outcome is needed. */
  explain?: boolean;
}

/**
 * Decides whether two records are the same person. Strong identifiers decide first
 * (deterministic); demographics are always scored too, so every outcome can explain itself.
 */
export function comparePatients(a: PatientFeatures, b: PatientFeatures, options: CompareOptions = {}): PairComparison {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const resident = residentIdEvidence(a, b);
  const strong = strongIdEvidence(a, b);
  const deterministic = resident.link ?? strong.link ?? crossReference(a, b);

  const evidence: Evidence[] = [...resident.evidence, ...strong.evidence];
  const name = compareNames(a.names, b.names);
  if (name) {
    const reason: EvidenceReason = {
      code: 'name',
      weight: name.weight,
      a: name.a.display,
      b: name.b.display,
      family: name.family,
      given: name.given,
      transposed: name.transposed,
    };
    evidence.push({ field: 'name', weight: name.weight, reason });
  } else evidence.push({ field: 'name', weight: 0, reason: { code: 'name-missing', weight: 0 } });
  // Either part counts: an all-capitals "SHAN ZHI" may have been read with its parts the wrong way round.
  const namesDiffer = name !== undefined && (name.given === 'disagree' || name.family === 'disagree');
  evidence.push(birthDateEvidence(a, b), sexEvidence(a, b), ...householdEvidence(a, b, namesDiffer));

  const score = evidence.reduce((sum, e) => sum + e.weight, 0);
  const notes: OutcomeNote[] = [];
  let outcome: PairOutcome = score >= thresholds.linked ? 'linked' : score >= thresholds.possible ? 'possible' : 'not-linked';
  if (deterministic) {
    if (score >= 0) outcome = 'linked';
    else {
      outcome = 'possible';
      notes.push({ code: 'demographics-disagree', link: deterministic, score });
    }
  } else if (outcome === 'linked' && name && (name.family === 'homophone' || name.given === 'homophone')) {
    outcome = 'possible';
    notes.push({ code: 'homophone-names' });
  }
  const conflict = deterministic ? undefined : evidence.find((e) => e.weight === W.conflict)?.reason;
  const explain = options.explain ?? true;
  return {
    outcome,
    score,
    deterministic,
    evidence: explain ? evidence : [],
    notes: explain ? notes : [],
    ...(conflict ? { conflict } : {}),
  };
}

/** The matcher's decision on a compared pair, for the UI to word: by identifier, or by score against the thresholds. */
export function verdictReason(c: PairComparison, thresholds: Thresholds = DEFAULT_THRESHOLDS): MatcherVerdictReason {
  return c.deterministic
    ? { code: 'verdict-identifier', outcome: c.outcome, link: c.deterministic, score: c.score }
    : { code: 'verdict-score', outcome: c.outcome, score: c.score, linkedFrom: thresholds.linked, possibleFrom: thresholds.possible };
}
