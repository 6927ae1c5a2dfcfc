/**
 * Fellegi–Sunter weights. For each field and agreement level:
 *   m = P(level | the two records are the same person)
 *   u = P(level | they are two different people)
 * and the level's weight is log2(m / u) bits: positive when the level is more likely for a true
 * match, negative otherwise. A missing value weighs 0 (it says nothing either way). The pair's
 * score is the sum of its fields' weights; it is compared with two thresholds.
 *
 * The m and u values below are set by hand from what the literature and Chinese registration
 * practice suggest (e.g. u for an exact surname is high because 王, 李 and 张 each cover ~7% of
 * people; homophone 汉字 are a frequent input-method error, so they are a real but weak signal),
 * then checked against the labelled evaluation set (bench/identity-eval). They are parameters,
 * not truths: a site with its own labelled pairs should estimate them (e.g. by EM).
 */
export interface LevelProbabilities {
  m: number;
  u: number;
}

export const MATCH_PROBABILITIES = {
  family: {
    exact: { m: 0.95, u: 0.02 },
    homophone: { m: 0.01, u: 0.004 },
    variant: { m: 0.01, u: 0.003 },
    similar: { m: 0.02, u: 0.01 },
    disagree: { m: 0.01, u: 0.963 },
  },
  given: {
    exact: { m: 0.9, u: 0.002 },
    homophone: { m: 0.03, u: 0.004 },
    close: { m: 0.02, u: 0.002 },
    similar: { m: 0.02, u: 0.008 },
    disagree: { m: 0.03, u: 0.984 },
  },
  birthDate: {
    exact: { m: 0.95, u: 0.0002 },
    typo: { m: 0.025, u: 0.0008 },
    partial: { m: 0.02, u: 0.01 },
    disagree: { m: 0.005, u: 0.989 },
  },
  sex: {
    agree: { m: 0.98, u: 0.5 },
    disagree: { m: 0.02, u: 0.5 },
  },
  phone: {
    agree: { m: 0.6, u: 0.0001 },
    disagree: { m: 0.4, u: 0.9999 },
  },
  address: {
    exact: { m: 0.5, u: 0.001 },
    partial: { m: 0.3, u: 0.02 },
    disagree: { m: 0.2, u: 0.979 },
  },
  /** Two different valid 身份证 (or MPI, insurance, passport numbers of one issuer) on the two records. */
  strongIdConflict: { m: 0.001, u: 0.999 },
} as const satisfies Record<string, Record<string, LevelProbabilities> | LevelProbabilities>;

export function weightOf(p: LevelProbabilities): number {
  return Math.log2(p.m / p.u);
}

/**
 * Extra evidence that does not fit the m/u table: a shared 身份证 that contradicts one of the
 * records' own birth date or sex is still a strong hint, but no longer proof; names in swapped
 * order are usually a data-entry convention, rarely a different person.
 */
export const ADJUSTMENTS = {
  doubtfulSharedResidentId: 10,
  sharedInvalidResidentId: 5,
  transposedNames: -1,
};

export interface Thresholds {
  /** At or above: linked without asking. */
  linked: number;
  /** At or above (and below `linked`): shown as a possible link for a clinician to confirm. */
  possible: number;
}

/**
 * Chosen on the evaluation set: an exact name + exact birth date + sex (27.6) links; an exact
 * name with a birth-date typo (20.3) needs confirmation; two people called 张伟 with different
 * birth dates (≈ 7.8) and same-sex twins (≈ 13.7) stay apart.
 */
export const DEFAULT_THRESHOLDS: Thresholds = { linked: 22, possible: 16 };
