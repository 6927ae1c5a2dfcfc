/**
 * Whether a unit as a LIS wrote it is a UCUM code, checked with NLM's UCUM library and
 * remembered, since a lab sends the same few dozen units over and over. (Typings: types/ucum-lhc.d.ts.)
 */
import ucum from '@lhncbc/ucum-lhc';

export const UCUM_SYSTEM = 'http://unitsofmeasure.org';

const known = new Map<string, string | undefined>();
let utils: ReturnType<typeof ucum.UcumLhcUtils.getInstance> | undefined;

/** A few spellings LIS vendors use for UCUM units. */
const VARIANTS: Record<string, string> = { 'μmol/L': 'umol/L', 'µmol/L': 'umol/L', 'μg/L': 'ug/L', 'µg/L': 'ug/L', 'μIU/mL': 'u[IU]/mL', 'µIU/mL': 'u[IU]/mL' };

/** The UCUM code for `unit`, or undefined when it is not UCUM. */
export function ucumCode(unit: string): string | undefined {
  const trimmed = unit.trim();
  if (trimmed === '') return undefined;
  if (known.has(trimmed)) return known.get(trimmed);
  let code: string | undefined;
  try {
    utils ??= ucum.UcumLhcUtils.getInstance();
    const candidate = VARIANTS[trimmed] ?? trimmed;
    code = utils.validateUnitString(candidate).status === 'valid' ? candidate : undefined;
  } catch {
    code = undefined;
  }
  if (known.size < 10_000) known.set(trimmed, code);
  return code;
}
