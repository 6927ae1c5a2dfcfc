/**
 * A unit as a source wrote it → its UCUM code, or undefined when it has none we can vouch for.
 * Order matters: known spellings first (天, 次/分, mmHg), then the rewrites, then UCUM codes
 * laboratories print in any case, and last the string as UCUM itself; every answer is
 * checked with ucum-lhc, so nothing invalid is ever labelled UCUM.
 */
import { BoundedMemo } from '../../shared/lib/bounded-memo.ts';
import { rewriteToUcum, normalizeSpelling } from './respell.ts';
import { LAB_CODES, MISLEADING } from './spellings.ts';
import { countUnitEntryUse, tableVersion, unitEntryCode, unitEntryIndex } from './unit-table.ts';
import { MAX_UCUM_LENGTH, isValidUcum } from './ucum-validator.ts';

const LAB_CODES_BY_LOWER_CASE = new Map(LAB_CODES.map((code) => [code.toLowerCase(), code]));

/** A unit's UCUM code and the spellings-table entry that gave it (-1: a rule or UCUM itself did). */
interface Answer {
  code: string | undefined;
  entry: number;
}
const NONE: Answer = { code: undefined, entry: -1 };

/**
 * A leading plain number ("109/L", "1012/L") is valid UCUM but is what "10⁹/L" becomes when a
 * system drops the superscript: a laboratory never means 109 per litre, so it stays text.
 */
const LOST_POWER = /^\d{2,}(?![\d*^.])/;

function lookUp(written: string): Answer {
  // Length first: nothing longer is a unit, and the rewrites below should not see it either.
  if (written.length > MAX_UCUM_LENGTH) return NONE;
  const spelled = normalizeSpelling(written);
  if (spelled === '') return NONE;
  // Known spellings (the hospital's, then the built-in ones), also as systems print them in one case ("MMHG").
  const entry = unitEntryIndex(spelled);
  if (entry >= 0) {
    const known = unitEntryCode(entry);
    return isValidUcum(known) ? { code: known, entry } : NONE;
  }
  const rewritten = rewriteToUcum(spelled);
  const labCode = LAB_CODES_BY_LOWER_CASE.get(rewritten.toLowerCase());
  if (labCode) return { code: labCode, entry: -1 };
  return !LOST_POWER.test(rewritten) && !MISLEADING.has(rewritten) && isValidUcum(rewritten) ? { code: rewritten, entry: -1 } : NONE;
}

let answers = new BoundedMemo<string, Answer>(10_000);
let answersVersion = tableVersion();

function answerFor(written: string): Answer {
  if (answersVersion !== tableVersion()) {
    answers = new BoundedMemo(10_000);
    answersVersion = tableVersion();
  }
  return answers.get(written, lookUp);
}

export function ucumCodeFor(written: string): string | undefined {
  return answerFor(written).code;
}

/** As ucumCodeFor, for a unit a source sent: the table entry that mapped it is counted as used. */
export function mapUnitToUcum(written: string): string | undefined {
  const answer = answerFor(written);
  if (answer.entry >= 0) countUnitEntryUse(answer.entry);
  return answer.code;
}
