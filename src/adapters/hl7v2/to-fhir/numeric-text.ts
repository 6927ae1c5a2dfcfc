/**
 * A result written as text that is a number: "5.6", "<0.5", "> 1000", "≤3", "＜0.1". LIS
 * put such values in NM fields, and Chinese LIS often in ST or TX fields too (with the unit in
 * OBX-6); read as numbers they can be charted and compared. Anything else is not a number.
 */
import type { Quantity } from '@medplum/fhirtypes';

export interface NumericText {
  value: number;
  comparator?: Quantity['comparator'];
}

/** Above this a "number" is an identifier or noise, not a measurement. */
const MAX_LENGTH = 40;
const NUMERIC = /^(<=|>=|<|>|≤|≥|＜|＞|≦|≧)?\s*([+-]?(?:\d+\.?\d*|\.\d+))$/;
const COMPARATORS: Readonly<Record<string, Quantity['comparator']>> = {
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
  '≤': '<=',
  '≥': '>=',
  '＜': '<',
  '＞': '>',
  '≦': '<=',
  '≧': '>=',
};

export function numericText(text: string): NumericText | undefined {
  const t = text.trim();
  if (t === '' || t.length > MAX_LENGTH) return undefined;
  const m = NUMERIC.exec(t);
  if (!m) return undefined;
  const value = Number(m[2]);
  if (!Number.isFinite(value)) return undefined;
  const comparator = m[1] ? COMPARATORS[m[1]] : undefined;
  return comparator ? { value, comparator } : { value };
}
