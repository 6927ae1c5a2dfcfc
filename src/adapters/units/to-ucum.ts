/**
 * A unit as a source wrote it → its UCUM code, or undefined when it has none we can vouch for.
 * Order matters: known spellings first (天, 次/分, mmHg), then the rewrites, then UCUM codes
 * laboratories print in any case, and last the string as UCUM itself; every answer is
 * checked with ucum-lhc, so nothing invalid is ever labelled UCUM.
 */
import { BoundedMemo } from '../../shared/lib/bounded-memo.ts';
import { rewriteToUcum, normalizeSpelling } from './respell.ts';
import { CHINESE_CONCENTRATIONS, LAB_CODES, MISLEADING, SPELLINGS } from './spellings.ts';
import { MAX_UCUM_LENGTH, isValidUcum } from './ucum-validator.ts';

// Maps, not the objects: a unit written "constructor" must not find Object.prototype's.
const KNOWN = new Map([...Object.entries(SPELLINGS), ...Object.entries(CHINESE_CONCENTRATIONS)]);
const LAB_CODES_BY_LOWER_CASE = new Map(LAB_CODES.map((code) => [code.toLowerCase(), code]));
/** "MMHG", "SEC", "/hp": the spellings again, for systems that print in one case. */
const SPELLINGS_BY_LOWER_CASE = new Map(Object.entries(SPELLINGS).map(([spelling, code]) => [spelling.toLowerCase(), code]));

/**
 * A leading plain number ("109/L", "1012/L") is valid UCUM but is what "10⁹/L" becomes when a
 * system drops the superscript: a laboratory never means 109 per litre, so it stays text.
 */
const LOST_POWER = /^\d{2,}(?![\d*^.])/;

function lookUp(written: string): string | undefined {
  // Length first: nothing longer is a unit, and the rewrites below should not see it either.
  if (written.length > MAX_UCUM_LENGTH) return undefined;
  const spelled = normalizeSpelling(written);
  if (spelled === '') return undefined;
  const known = KNOWN.get(spelled) ?? SPELLINGS_BY_LOWER_CASE.get(spelled.toLowerCase());
  if (known) return isValidUcum(known) ? known : undefined;
  const rewritten = rewriteToUcum(spelled);
  const labCode = LAB_CODES_BY_LOWER_CASE.get(rewritten.toLowerCase());
  if (labCode) return labCode;
  return !LOST_POWER.test(rewritten) && !MISLEADING.has(rewritten) && isValidUcum(rewritten) ? rewritten : undefined;
}

const codes = new BoundedMemo<string, string | undefined>(10_000);

export function ucumCodeFor(written: string): string | undefined {
  return codes.get(written, lookUp);
}
