/**
 * Whether a code can be a LOINC code: "2345-7" with its check digit (the Luhn mod-10 digit of
 * the number, LOINC Users' Guide, "Calculating Mod 10 check digits"), or a LOINC part, answer or
 * group code (LP…, LA…, LG…). Senders label local codes "LN" often enough ("1037^检查所见^LN")
 * that a code failing this stays local instead of making an invalid LOINC coding.
 */
const LOINC = /^(L[APG])?(\d{1,8})-(\d)$/;

function mod10(digits: string): number {
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    const d = Number(digits[i]) * (double ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isLoincCode(code: string): boolean {
  const m = LOINC.exec(code.trim());
  if (!m) return false;
  // Parts, answers and groups are numbered in their own series: their form is enough.
  return m[1] !== undefined || mod10(m[2]!) === Number(m[3]);
}
