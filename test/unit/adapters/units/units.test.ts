/** The shared unit module: source spellings → UCUM for FHIR Quantity (issue 14 item 6; issue 13 items 5 and 8). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  fhirUnit,
  isValidUcum,
  MAX_UCUM_LENGTH,
  ucumCodeFor,
  UCUM_SYSTEM,
  takeNewUnitEntryUses,
  addUnitEntryUses,
  unitTableUsage,
  useUnitSpellings,
  withConsoleMuted,
} from '../../../../src/adapters/units/index.ts';
import { CHINESE_CONCENTRATIONS, LAB_CODES, SPELLINGS } from '../../../../src/adapters/units/spellings.ts';

describe('fhirUnit', () => {
  it.each([
    ['天', 'd'],
    ['次/min', '/min'],
    ['次/分', '/min'],
    ['次/分钟', '/min'],
    ['℃', 'Cel'],
    ['°C', 'Cel'],
    ['毫摩尔/升', 'mmol/L'],
    ['微摩尔/升', 'umol/L'],
    ['克/升', 'g/L'],
    ['mmHg', 'mm[Hg]'],
    ['mm Hg', 'mm[Hg]'],
    ['MMHG', 'mm[Hg]'],
    ['毫米汞柱', 'mm[Hg]'],
    ['个/HP', '/[HPF]'],
    ['个/HPF', '/[HPF]'],
    ['μmol/L', 'umol/L'],
    ['µmol/L', 'umol/L'],
    ['μIU/mL', 'u[IU]/mL'],
    ['mIU/mL', 'm[IU]/mL'],
    ['IU/L', '[IU]/L'],
    ['10^9/L', '10*9/L'],
    ['×10^12/L', '10*12/L'],
    ['x10^9/L', '10*9/L'],
    ['10+3/ul', '10*3/uL'],
    ['10+3/uL', '10*3/uL'],
    ['10⁹/L', '10*9/L'],
    ['10E9/L', '10*9/L'],
    ['g/L', 'g/L'],
    ['G/L', 'g/L'],
    ['MMOL/L', 'mmol/L'],
    ['mEq/L', 'meq/L'],
    ['%', '%'],
    ['S', 's'],
    ['sec', 's'],
    ['mg/dL', 'mg/dL'],
    ['mL/min/1.73m²', 'mL/min/{1.73_m2}'],
    ['ｍｍｏｌ／Ｌ', 'mmol/L'],
    ['mm[Hg]', 'mm[Hg]'],
    ['kg/m2', 'kg/m2'],
    ['K/uL', '10*3/uL'],
    ['M/uL', '10*6/uL'],
    ['mcg/dL', 'ug/dL'],
    // "gm" for gram (US laboratories; LinuxForHealth's PPR^PC1 sample: "gm/dl")
    ['gm/dl', 'g/dL'],
    ['GM/DL', 'g/dL'],
    ['Gm/dL', 'g/dL'],
    ['gms', 'g'],
    ['gm/24hr', 'g/(24.h)'],
    // a mass "per cent" is per 100 mL, never a hundredth of the mass
    ['mg%', 'mg/dL'],
    ['gm%', 'g/dL'],
    ['ug%', 'ug/dL'],
    ['mg/24h', 'mg/(24.h)'],
    ['g/24 hr', 'g/(24.h)'],
    ['°F', '[degF]'],
    ['℉', '[degF]'],
    ['lb', '[lb_av]'],
    ['INR', '{INR}'],
    ['S/CO', '{s_co_ratio}'],
    ['AU/mL', "[arb'U]/mL"],
    ['‰', '[ppth]'],
    ['cells/hpf', '/[HPF]'],
  ])('%s → UCUM %s', (written, code) => {
    expect(fhirUnit(written)).toEqual({ unit: written.trim(), system: UCUM_SYSTEM, code });
  });

  it.each([
    '分',
    '次',
    '阴性',
    '+',
    'abc/def',
    '109/L',
    '个',
    'C',
    'F',
    'K',
    'M',
    'N',
    'P/N',
    'S/N',
    'constructor',
    'toString',
    '__proto__',
    'mgm',
    'gmol',
  ])('"%s" stays text with no system or code', (written) => {
    expect(fhirUnit(written)).toEqual({ unit: written });
  });

  it('an empty unit is no unit', () => {
    expect(fhirUnit('  ')).toBeUndefined();
  });

  it('keeps the spelling the source wrote as the unit people read', () => {
    expect(fhirUnit(' 毫摩尔/升 ')).toEqual({ unit: '毫摩尔/升', system: UCUM_SYSTEM, code: 'mmol/L' });
  });
});

describe('the tables', () => {
  const targets = [...new Set([...Object.values(SPELLINGS), ...Object.values(CHINESE_CONCENTRATIONS), ...LAB_CODES])];
  it.each(targets)('%s is valid UCUM (ucum-lhc)', (code) => {
    expect(isValidUcum(code)).toBe(true);
  });

  it('no two lab codes or spellings differ only in case but mean different units', () => {
    const byLower = new Map<string, string>();
    for (const [spelling, code] of [...LAB_CODES.map((c) => [c, c] as const), ...Object.entries(SPELLINGS)]) {
      const seen = byLower.get(spelling.toLowerCase());
      if (seen !== undefined && !Object.values(SPELLINGS).includes(seen)) expect(seen).toBe(code);
      byLower.set(spelling.toLowerCase(), code);
    }
  });
});

describe('guards around ucum-lhc', () => {
  it('a 100,000-character unit is text at once, never handed to the library', () => {
    const unit = '1'.repeat(100_000);
    const started = performance.now();
    expect(fhirUnit(unit)).toEqual({ unit });
    expect(ucumCodeFor('m'.repeat(MAX_UCUM_LENGTH + 1))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(50);
  });

  it("Object.prototype's names are no units, whatever ucum-lhc says", () => {
    for (const name of ['constructor', 'valueOf', '__proto__', 'hasOwnProperty']) expect(isValidUcum(name)).toBe(false);
  });

  it('units just under the limit are still judged', () => {
    expect(isValidUcum(`${'m/'.repeat(31)}m`)).toBe(true);
  });

  it('the library writes nothing to the console, whatever it is given', () => {
    const log = vi.spyOn(console, 'log');
    const warn = vi.spyOn(console, 'warn');
    // "toString/L" and "mg/constructor" make ucum-lhc throw inside and log it (checked by hand).
    for (const odd of [
      '((',
      '{',
      'g{a',
      ')(',
      'm[Hg',
      '10^^9',
      '/'.repeat(60),
      'mg/(24.h',
      '[',
      '%/%/%',
      'toString/L',
      'mg/constructor',
      'mconstructor',
    ])
      ucumCodeFor(odd);
    expect(log).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    log.mockRestore();
    warn.mockRestore();
  });

  it('withConsoleMuted mutes during the call and restores afterwards, also after a throw', () => {
    const original = console.log;
    const seen: unknown[] = [];
    console.log = (...args: unknown[]) => seen.push(args);
    try {
      expect(withConsoleMuted(() => (console.log('inside'), 7))).toBe(7);
      expect(() =>
        withConsoleMuted(() => {
          console.error('x');
          throw new Error('boom');
        }),
      ).toThrow('boom');
      console.log('after');
      expect(seen).toEqual([['after']]);
    } finally {
      console.log = original;
    }
  });
});

describe('the hospital-configured unit spellings, over the built-in ones', () => {
  afterEach(() => useUnitSpellings([]));

  it('a configured spelling is UCUM from then on, wins over a built-in one, and each mapping of a sent unit is counted', () => {
    expect(fhirUnit('毫摩每升')).toEqual({ unit: '毫摩每升' });
    useUnitSpellings([
      { spelling: '毫摩每升', ucum: 'mmol/L' },
      { spelling: '岁', ucum: 'mo' },
    ]);
    expect(fhirUnit('毫摩每升')).toEqual({ unit: '毫摩每升', system: UCUM_SYSTEM, code: 'mmol/L' });
    expect(fhirUnit('毫摩每升')?.code).toBe('mmol/L');
    expect(ucumCodeFor('岁')).toBe('mo');
    fhirUnit('天');
    const usage = unitTableUsage();
    expect(usage).toContainEqual({ spelling: '毫摩每升', ucum: 'mmol/L', origin: 'configured', uses: 2 });
    expect(usage).toContainEqual({ spelling: '天', ucum: 'd', origin: 'built-in', uses: 1 });
    // ucumCodeFor is the checks' question, not a mapping of what a source sent: not counted.
    expect(usage).toContainEqual({ spelling: '岁', ucum: 'mo', origin: 'configured', uses: 0 });
  });

  it('hands the uses counted since the last hand-over to another table, which adds them to the same entries', () => {
    useUnitSpellings([{ spelling: '毫摩每升', ucum: 'mmol/L' }]);
    fhirUnit('毫摩每升');
    fhirUnit('天');
    const first = takeNewUnitEntryUses();
    expect(first).toEqual([
      { spelling: '天', origin: 'built-in', uses: 1 },
      { spelling: '毫摩每升', origin: 'configured', uses: 1 },
    ]);
    fhirUnit('毫摩每升');
    expect(takeNewUnitEntryUses()).toEqual([{ spelling: '毫摩每升', origin: 'configured', uses: 1 }]);
    expect(takeNewUnitEntryUses()).toEqual([]);
    addUnitEntryUses([...first, { spelling: 'not in this table', origin: 'configured', uses: 9 }]);
    const usage = unitTableUsage();
    expect(usage).toContainEqual({ spelling: '毫摩每升', ucum: 'mmol/L', origin: 'configured', uses: 3 });
    expect(usage).toContainEqual({ spelling: '天', ucum: 'd', origin: 'built-in', uses: 2 });
    useUnitSpellings([]);
  });

  it('setting the table again forgets earlier answers', () => {
    useUnitSpellings([{ spelling: '毫摩每升', ucum: 'mmol/L' }]);
    expect(ucumCodeFor('毫摩每升')).toBe('mmol/L');
    useUnitSpellings([]);
    expect(ucumCodeFor('毫摩每升')).toBeUndefined();
    expect(ucumCodeFor('岁')).toBe('a');
  });
});
