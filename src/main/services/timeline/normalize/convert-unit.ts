import ucum from '@lhncbc/ucum-lhc';
import { isValidUcum, ucumCodeFor, withConsoleMuted } from '../../../../adapters/units/index.ts';
import { BoundedMemo } from '../../../../shared/lib/bounded-memo.ts';

const utils = ucum.UcumLhcUtils.getInstance();

/**
 * Units as sources spell them → UCUM codes, by the shared unit module (μmol/l, 10^9/L, mEq/L,
 * 毫摩尔/升 …); a unit it does not know is compared as written. Remembered per spelling: a lab
 * sends the same few units with every result.
 */
const ucumBySpelling = new BoundedMemo<string, string>(10_000);
const spellingToUcum = (unit: string) => ucumCodeFor(unit) ?? unit.trim();

export function toUcum(unit: string): string {
  return ucumBySpelling.get(unit, spellingToUcum);
}

/** HbA1c NGSP (%) ↔ IFCC (mmol/mol) is an affine master equation, not a unit conversion. */
function hba1c(value: number, from: string, to: string): number | undefined {
  if (from === 'mmol/mol' && to === '%') return value / 10.929 + 2.15;
  if (from === '%' && to === 'mmol/mol') return (value - 2.15) * 10.929;
  return undefined;
}

function ucumConvert(value: number, from: string, to: string, molecularWeight: number | undefined): number | undefined {
  // Only units the shared module vouches for reach ucum-lhc: its expressions take seconds on
  // long input (100,000 characters take ~12 s), and it throws on Object.prototype's names ("constructor").
  // It logs when it fails inside, hence muted; and whatever else it throws is "no conversion".
  if (!isValidUcum(from) || !isValidUcum(to)) return undefined;
  try {
    const result = withConsoleMuted(() => utils.convertUnitTo(from, value, to, molecularWeight ? { molecularWeight } : undefined));
    return result.status === 'succeeded' && typeof result.toVal === 'number' ? result.toVal : undefined;
  } catch {
    return undefined;
  }
}

/**
 * ucum-lhc parses both unit expressions on every call (3–10 µs), and a lab sends the same few
 * units, reference limits and common values again and again. Results are remembered per unit
 * pair and value: exactly what the library returned, so nothing changes but the time. Nested
 * from → to → molecular weight (0: none) → value, so a lookup builds no key string.
 */
interface PairConversions {
  memo: BoundedMemo<number, number | undefined>;
  /** ucum-lhc for this unit pair and weight, made once per pair (no closure per value). */
  convert: (value: number) => number | undefined;
}

const conversions = new Map<string, Map<string, Map<number, PairConversions>>>();

function conversionsOf(from: string, to: string, molecularWeight: number | undefined): PairConversions {
  let byTo = conversions.get(from);
  if (!byTo) conversions.set(from, (byTo = new Map()));
  let byWeight = byTo.get(to);
  if (!byWeight) byTo.set(to, (byWeight = new Map()));
  const weight = molecularWeight ?? 0;
  let pair = byWeight.get(weight);
  if (!pair)
    byWeight.set(weight, (pair = { memo: new BoundedMemo(4_096), convert: (value) => ucumConvert(value, from, to, molecularWeight) }));
  return pair;
}

function memoisedConvert(value: number, from: string, to: string, molecularWeight: number | undefined): number | undefined {
  // −0 and 0 share a Map key (SameValueZero) but may convert differently: never cache zero.
  if (value === 0) return ucumConvert(value, from, to, molecularWeight);
  const pair = conversionsOf(from, to, molecularWeight);
  return pair.memo.get(value, pair.convert);
}

/**
 * Converts a value between UCUM units, with the analyte's molecular weight for mass ↔ amount
 * of substance. Returns undefined when the units do not convert (then the original is kept).
 */
export function convertUnit(value: number, fromUnit: string, toUnit: string, molecularWeight?: number): number | undefined {
  const from = toUcum(fromUnit);
  const to = toUcum(toUnit);
  if (from === to) return value;
  if (from === 'meq/L' && to === 'mmol/L') return value; // monovalent ions: K+, Na+, Cl−
  const affine = hba1c(value, from, to);
  if (affine !== undefined) return affine;
  return memoisedConvert(value, from, to, molecularWeight);
}
