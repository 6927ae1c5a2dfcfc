/**
 * Whether a string is a valid UCUM code, asked of NLM's @lhncbc/ucum-lhc (typings:
 * types/ucum-lhc.d.ts) with three guards: a length limit, since its regular expressions take
 * seconds on long input (100,000 characters block the process for ~12 s); its
 * console output muted; and answers remembered, since a source sends the same few units again
 * and again.
 */
import ucum from '@lhncbc/ucum-lhc';
import { BoundedMemo } from '../../shared/lib/bounded-memo.ts';
import { withConsoleMuted } from './quiet-console.ts';

/** Longer than any unit a laboratory prints ("mL/min/{1.73_m2}" is 16); longer text is no unit code. */
export const MAX_UCUM_LENGTH = 64;

let utils: ReturnType<typeof ucum.UcumLhcUtils.getInstance> | undefined;

function askUcumLhc(code: string): boolean {
  try {
    return withConsoleMuted(() => {
      utils ??= ucum.UcumLhcUtils.getInstance();
      return utils.validateUnitString(code).status === 'valid';
    });
  } catch {
    return false;
  }
}

const answers = new BoundedMemo<string, boolean>(10_000);

/**
 * True when `code` is within the length limit and ucum-lhc accepts it exactly as written.
 * ucum-lhc looks units up in plain objects, so it calls "constructor", "valueOf" or "__proto__"
 * valid (Object.prototype's members): those are refused here.
 */
export function isValidUcum(code: string): boolean {
  if (code === '' || code.length > MAX_UCUM_LENGTH || code in Object.prototype) return false;
  return answers.get(code, askUcumLhc);
}
