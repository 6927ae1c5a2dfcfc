import type { Coding, Observation } from '@medplum/fhirtypes';
import type { LabValue } from '../../../../shared/domain/timeline.ts';
import { analyteByLoinc, labCodeEntry, type AnalyteDefinition, type LabCodeEntry } from './analytes.ts';
import { convertUnit } from './convert-unit.ts';

const LOINC = 'http://loinc.org';

const NO_CODINGS: readonly Coding[] = [];

function loincOf(codings: readonly Coding[]): string | undefined {
  for (const c of codings) if (c.system === LOINC && c.code) return c.code;
  return undefined;
}

/** Local LIS codes (the built-in and the hospital's table): by code first, then by the name the lab printed (often 汉字). */
function localEntry(observation: Observation, codings: readonly Coding[]): LabCodeEntry | undefined {
  for (const c of codings) {
    const byCode = c.code ? labCodeEntry(c.code) : undefined;
    if (byCode) return byCode;
  }
  if (observation.code?.text) {
    const byText = labCodeEntry(observation.code.text);
    if (byText) return byText;
  }
  for (const c of codings) {
    const byDisplay = c.display ? labCodeEntry(c.display) : undefined;
    if (byDisplay) return byDisplay;
  }
  return undefined;
}

/**
 * A local name is not trusted for a measurement that cannot be the analyte: a number in a unit
 * that does not convert to the analyte's. Local names repeat across specimens — "红细胞" is also
 * the urine sediment's count per high-power field — and those must not be charted as the blood
 * analyte. (A result without a number still maps, as before: the name is all there is.)
 */
function contradicts(analyte: AnalyteDefinition, q: Observation['valueQuantity']): boolean {
  const unit = q?.code ?? q?.unit;
  if (q?.value === undefined || !unit || unit === analyte.canonicalUnit) return false;
  return convertUnit(1, unit, analyte.canonicalUnit, analyte.molecularWeight) === undefined;
}

/** The local code an analyte was recognised by (or the first code, when by name or not at all). */
function localCodeOf(codings: readonly Coding[]): string | undefined {
  for (const c of codings) if (c.code && labCodeEntry(c.code)) return c.code;
  return codings[0]?.code;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * A lab Observation in canonical terms: the analyte's LOINC and SI unit, the value and the
 * reference range converted with it. What cannot be mapped or converted is kept as sent.
 */
export function normalizeLab(observation: Observation): LabValue | undefined {
  const q = observation.valueQuantity;
  // Plain locals rather than one small result object: this runs for every result of a
  // 100,000-entry timeline, and every object made here is work for the garbage collector.
  const codings = observation.code?.coding ?? NO_CODINGS;
  const loinc = loincOf(codings);
  const local = loinc ? undefined : localEntry(observation, codings);
  const localAnalyte = local?.analyte;
  const analyte = loinc ? analyteByLoinc(loinc) : localAnalyte && !contradicts(localAnalyte, q) ? localAnalyte : undefined;
  // A configured code whose LOINC names no analyte the timeline normalises: mapped, kept as sent.
  const mappedLoinc = local !== undefined && localAnalyte === undefined ? local.loinc : undefined;
  if (local !== undefined && (analyte !== undefined || mappedLoinc !== undefined)) local.uses++;
  const localCode = loinc ? undefined : localCodeOf(codings);
  if (!analyte && !mappedLoinc && !q) return undefined;
  const range = observation.referenceRange?.[0];
  const unit = q?.code ?? q?.unit;
  const loincOut = analyte?.canonicalLoinc ?? loinc ?? mappedLoinc;
  const codeChanged = (analyte !== undefined || mappedLoinc !== undefined) && (loinc ?? localCode) !== loincOut;

  if (analyte && q?.value !== undefined && unit && unit !== analyte.canonicalUnit) {
    const converted = convertUnit(q.value, unit, analyte.canonicalUnit, analyte.molecularWeight);
    if (converted !== undefined) {
      const conv = (v: number | undefined) =>
        v === undefined ? undefined : convertUnit(v, unit, analyte.canonicalUnit, analyte.molecularWeight);
      const low = conv(range?.low?.value);
      const high = conv(range?.high?.value);
      return {
        analyte: analyte.key,
        loinc: loincOut,
        value: round(converted),
        unit: analyte.canonicalUnit,
        low: low === undefined ? undefined : round(low),
        high: high === undefined ? undefined : round(high),
        original: { code: loinc ?? localCode, value: q.value, unit },
      };
    }
  }
  // One object of one shape per result, keys in the order the timeline has always had them.
  return {
    analyte: analyte?.key,
    loinc: loincOut,
    value: q?.value,
    unit,
    low: range?.low?.value,
    high: range?.high?.value,
    original: codeChanged ? { code: loinc ?? localCode, value: q?.value, unit } : undefined,
  };
}
