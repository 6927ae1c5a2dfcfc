/**
 * Units for FHIR Quantity, shared by every adapter: a unit string as a hospital system wrote it
 * → `{ unit, system, code }` when it is (or is a known spelling of) a UCUM unit, else `{ unit }`
 * alone, so no resource claims a UCUM code that is not one (a receiver would trust it and convert).
 */
import { mapUnitToUcum } from './to-ucum.ts';

export const UCUM_SYSTEM = 'http://unitsofmeasure.org';

export interface FhirUnit {
  /** The unit as the source wrote it (trimmed), for people to read. */
  unit: string;
  system?: typeof UCUM_SYSTEM;
  /** The UCUM code, validated with @lhncbc/ucum-lhc. */
  code?: string;
}

/** undefined for an empty unit. */
export function fhirUnit(written: string): FhirUnit | undefined {
  const unit = written.trim();
  if (unit === '') return undefined;
  const code = mapUnitToUcum(unit);
  return code ? { unit, system: UCUM_SYSTEM, code } : { unit };
}

export { ucumCodeFor } from './to-ucum.ts';
export {
  useUnitSpellings,
  unitTableUsage,
  takeNewUnitEntryUses,
  addUnitEntryUses,
  type UnitTableEntry,
  type UnitEntryUses,
} from './unit-table.ts';
export { isValidUcum, MAX_UCUM_LENGTH } from './ucum-validator.ts';
export { withConsoleMuted } from './quiet-console.ts';
