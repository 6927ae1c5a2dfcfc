/** The hospital's mapping tables are validated at load, each problem naming the entry. */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../../../src/main/services/config/load-config.ts';

const base = { sources: [{ id: 'cdr', name: 'CDR', kind: 'fhir', baseUrl: 'http://127.0.0.1:1/fhir' }] };

function problems(mappings: unknown): string[] {
  try {
    parseConfig({ ...base, mappings });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
}

describe('mappings in the configuration', () => {
  it('absent: the built-in tables alone, nothing configured', () => {
    expect(parseConfig(base).mappings).toEqual({ labCodes: [], units: [] });
  });

  it('accepts local codes with real LOINC codes and spellings with real UCUM codes', () => {
    const config = parseConfig({
      ...base,
      mappings: { labCodes: [{ code: 'XT-GLU', loinc: '2345-7' }], units: [{ spelling: '毫摩每升', ucum: 'mmol/L' }] },
    });
    expect(config.mappings.labCodes).toEqual([{ code: 'XT-GLU', loinc: '2345-7' }]);
    expect(config.mappings.units).toEqual([{ spelling: '毫摩每升', ucum: 'mmol/L' }]);
  });

  it('a LOINC code with a wrong check digit is refused, naming the entry', () => {
    expect(problems({ labCodes: [{ code: 'XT-GLU', loinc: '2345-8' }] })).toEqual([
      'mappings.labCodes[0].loinc: "2345-8" (for "XT-GLU") is not a LOINC code: its check digit is wrong',
    ]);
  });

  it('a LOINC code that is not one in form is refused by the schema', () => {
    expect(problems({ labCodes: [{ code: 'XT-GLU', loinc: 'GLU' }] })).toEqual([
      'mappings.labCodes[0].loinc: a LOINC code is digits, a hyphen and the check digit, e.g. "2345-7"',
    ]);
  });

  it('a UCUM code that is not UCUM is refused, naming the entry', () => {
    expect(problems({ units: [{ spelling: '毫摩每升', ucum: 'mmol/Lx' }] })).toEqual([
      'mappings.units[0].ucum: "mmol/Lx" (for "毫摩每升") is not a valid UCUM code',
    ]);
  });

  it('a code or spelling listed twice, an unknown field and a missing one are refused', () => {
    expect(
      problems({
        labCodes: [
          { code: 'xt-glu', loinc: '2345-7' },
          { code: 'XT-GLU', loinc: '2160-0' },
        ],
      }),
    ).toEqual(['mappings.labCodes: the local code "XT-GLU" is listed twice']);
    expect(
      problems({
        units: [
          { spelling: 'a', ucum: 'g' },
          { spelling: 'a', ucum: 'g' },
        ],
      }),
    ).toEqual(['mappings.units: the unit spelling "a" is listed twice']);
    expect(problems({ labCodes: [{ code: 'A', loinc: '2345-7', system: 'x' }] })).toEqual(['mappings.labCodes[0]: unknown field "system"']);
    expect(problems({ units: [{ spelling: 'a' }] })[0]).toMatch(/^mappings\.units\[0\]\.ucum: /);
  });
});
