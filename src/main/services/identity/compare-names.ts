import { jaroWinkler } from './jaro-winkler.ts';
import { ADJUSTMENTS, MATCH_PROBABILITIES, weightOf } from './match-weights.ts';
import { isSurnameVariant, type NameForm } from './name-forms.ts';

export type FamilyLevel = keyof typeof MATCH_PROBABILITIES.family | 'missing';
export type GivenLevel = keyof typeof MATCH_PROBABILITIES.given | 'missing';

export interface NameComparison {
  a: NameForm;
  b: NameForm;
  family: FamilyLevel;
  given: GivenLevel;
  /** The best agreement came from reading one record's family name as the other's given name. */
  transposed: boolean;
  familyWeight: number;
  givenWeight: number;
  weight: number;
}

const FAMILY_WEIGHTS = Object.fromEntries(Object.entries(MATCH_PROBABILITIES.family).map(([k, p]) => [k, weightOf(p)])) as Record<
  FamilyLevel,
  number
>;
const GIVEN_WEIGHTS = Object.fromEntries(Object.entries(MATCH_PROBABILITIES.given).map(([k, p]) => [k, weightOf(p)])) as Record<
  GivenLevel,
  number
>;
FAMILY_WEIGHTS.missing = 0;
GIVEN_WEIGHTS.missing = 0;

/**
 * Compares one name part. When both records have 汉字, a character with a different reading
 * makes a different name (input methods produce homophones, not other syllables), so only the
 * Latin side gets typo tolerance (Jaro–Winkler).
 */
function comparePart(
  a: string,
  b: string,
  aHan: string | undefined,
  bHan: string | undefined,
  isFamily: boolean,
): (FamilyLevel & GivenLevel) | 'close' | 'variant' {
  if (!a || !b) return 'missing';
  if (aHan && bHan) {
    if (aHan === bHan) return 'exact';
    return a === b ? 'homophone' : 'disagree';
  }
  if (a === b) return 'exact';
  if (isFamily && isSurnameVariant(a, b)) return 'variant';
  const similarity = jaroWinkler(a, b);
  if (!isFamily && similarity >= 0.94) return 'close';
  return similarity >= 0.9 ? 'similar' : 'disagree';
}

function asFamily(level: ReturnType<typeof comparePart>): FamilyLevel {
  return level === 'close' ? 'similar' : level;
}

function asGiven(level: ReturnType<typeof comparePart>): GivenLevel {
  return level === 'variant' ? 'similar' : level;
}

function build(a: NameForm, b: NameForm, family: FamilyLevel, given: GivenLevel, transposed: boolean): NameComparison {
  const familyWeight = FAMILY_WEIGHTS[family];
  const givenWeight = GIVEN_WEIGHTS[given];
  return {
    a,
    b,
    family,
    given,
    transposed,
    familyWeight,
    givenWeight,
    weight: familyWeight + givenWeight + (transposed ? ADJUSTMENTS.transposedNames : 0),
  };
}

function compareForms(a: NameForm, b: NameForm): NameComparison {
  // A name written as one token ("Zhangwei") has no known split: compare it whole.
  if ((!a.family || !b.family) && a.family + a.given && !(a.han && b.han)) {
    const whole = a.family + a.given;
    if (whole === b.family + b.given) return build(a, b, 'exact', 'exact', false);
    if (whole === b.given + b.family) return build(a, b, 'exact', 'exact', true);
  }
  const straight = build(
    a,
    b,
    asFamily(comparePart(a.family, b.family, a.han?.family, b.han?.family, true)),
    asGiven(comparePart(a.given, b.given, a.han?.given, b.han?.given, false)),
    false,
  );
  if (straight.family === 'exact' && straight.given === 'exact') return straight;
  // 汉字 names are always family-first; only a romanised name can have its parts swapped.
  if (a.han && b.han) return straight;
  const swapped = build(
    a,
    b,
    asFamily(comparePart(a.family, b.given, undefined, undefined, true)),
    asGiven(comparePart(a.given, b.family, undefined, undefined, false)),
    true,
  );
  return swapped.weight > straight.weight && swapped.family !== 'disagree' && swapped.given !== 'disagree' ? swapped : straight;
}

/** The best-agreeing pair of the two records' name forms, or undefined when either has no name. */
export function compareNames(a: readonly NameForm[], b: readonly NameForm[]): NameComparison | undefined {
  // When both records write the name in 汉字, the characters decide: their romanisations are
  // derived and would hide a homophone (张伟 / 章伟 both read "Zhang Wei").
  const aHan = a.filter((f) => f.han);
  const bHan = b.filter((f) => f.han);
  const [left, right] = aHan.length > 0 && bHan.length > 0 ? [aHan, bHan] : [a, b];
  let best: NameComparison | undefined;
  for (const fa of left) {
    for (const fb of right) {
      const c = compareForms(fa, fb);
      if (!best || c.weight > best.weight) best = c;
    }
  }
  return best;
}
