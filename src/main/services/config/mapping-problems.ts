import { isLoincCode } from '../../../adapters/hl7v2/index.ts';
import { isValidUcum } from '../../../adapters/units/index.ts';
import type { MappingsConfig } from '../../../shared/config/schema.ts';

/**
 * What the schema cannot tell of the hospital's mapping tables: a LOINC code whose check digit is
 * wrong (a typo maps results to another test) and a UCUM code that is not UCUM (it would be
 * labelled UCUM on every result). Each problem names the entry, as the file's author wrote it.
 */
export function mappingProblems(mappings: MappingsConfig): string[] {
  const problems: string[] = [];
  mappings.labCodes.forEach((e, i) => {
    if (!isLoincCode(e.loinc))
      problems.push(`mappings.labCodes[${i}].loinc: "${e.loinc}" (for "${e.code}") is not a LOINC code: its check digit is wrong`);
  });
  mappings.units.forEach((e, i) => {
    if (!isValidUcum(e.ucum)) problems.push(`mappings.units[${i}].ucum: "${e.ucum}" (for "${e.spelling}") is not a valid UCUM code`);
  });
  return problems;
}
