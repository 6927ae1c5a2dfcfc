import type { Observation } from '@medplum/fhirtypes';
import type { LabValue } from '../../../../shared/domain/timeline.ts';
import { analyteByLocalName, analyteByLoinc, type AnalyteDefinition } from './analytes.ts';
import { convertUnit } from './convert-unit.ts';

const LOINC = 'http://loinc.org';

function findAnalyte(observation: Observation): { analyte?: AnalyteDefinition; loinc?: string; localCode?: string } {
  const codings = observation.code?.coding ?? [];
  const loinc = codings.find((c) => c.system === LOINC && c.code)?.code;
  if (loinc) return { analyte: analyteByLoinc(loinc), loinc };
  // Local LIS codes: by code first, then by the name the lab printed (often 汉字).
  for (const c of codings) {
    const byCode = c.code ? analyteByLocalName(c.code) : undefined;
    if (byCode) return { analyte: byCode, localCode: c.code };
  }
  const names = [observation.code?.text, ...codings.map((c) => c.display)].filter((n): n is string => Boolean(n));
  for (const n of names) {
    const byName = analyteByLocalName(n);
    if (byName) return { analyte: byName, localCode: codings[0]?.code };
  }
  return { localCode: codings[0]?.code };
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
  const { analyte, loinc, localCode } = findAnalyte(observation);
  if (!analyte && !q) return undefined;
  const range = observation.referenceRange?.[0];
  const unit = q?.code ?? q?.unit;
  const loincOut = analyte?.canonicalLoinc ?? loinc;
  const codeChanged = analyte !== undefined && (loinc ?? localCode) !== analyte.canonicalLoinc;

  if (analyte && q?.value !== undefined && unit && unit !== analyte.canonicalUnit) {
    const converted = convertUnit(q.value, unit, analyte.canonicalUnit, analyte.molecularWeight);
    if (converted !== undefined) {
      const conv = (v: number | undefined) => (v === undefined ? undefined : convertUnit(v, unit, analyte.canonicalUnit, analyte.molecularWeight));
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
  // One object per result, keys in the order the timeline has always had them.
  const lab: LabValue = { analyte: analyte?.key, loinc: loincOut, value: q?.value, unit, low: range?.low?.value, high: range?.high?.value };
  if (codeChanged) lab.original = { code: loinc ?? localCode, value: q?.value, unit };
  return lab;
}
