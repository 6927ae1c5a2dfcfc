import { describe, expect, it } from 'vitest';
import { addressSimilarity, normaliseAddress } from '../../../../../src/main/services/identity/addresses.ts';
import { compareBirthDates } from '../../../../../src/main/services/identity/birth-dates.ts';
import { classifyIdentifier } from '../../../../../src/main/services/identity/identifier-kinds.ts';
import { jaroWinkler } from '../../../../../src/main/services/identity/jaro-winkler.ts';
import { foldLatin, nameForms } from '../../../../../src/main/services/identity/name-forms.ts';
import { normalisePhone } from '../../../../../src/main/services/identity/phone-numbers.ts';

describe('name forms', () => {
  it('reads surnames with their surname pronunciation and splits compound surnames', () => {
    expect(nameForms([{ text: '单雄信' }, { text: '曾志明' }, { text: '解放' }]).map((f) => [f.family, f.given])).toEqual([
      ['shan', 'xiongxin'],
      ['zeng', 'zhiming'],
      ['xie', 'fang'],
    ]);
    expect(nameForms([{ text: '欧阳娜娜' }])[0]).toMatchObject({ family: 'ouyang', given: 'nana', han: { family: '欧阳', given: '娜娜' } });
    expect(nameForms([{ family: '吕', given: ['布'] }])[0]).toMatchObject({ family: 'lv' });
  });

  it('folds case and diacritics of Latin names and reads the family name from common layouts', () => {
    expect(foldLatin('Zhāng-Wěi')).toBe('zhangwei');
    expect(foldLatin('Lü')).toBe('lv');
    expect(nameForms([{ text: 'ZHANG Wei' }])[0]).toMatchObject({ family: 'zhang', given: 'wei' });
    expect(nameForms([{ text: 'Zhang, Wei' }])[0]).toMatchObject({ family: 'zhang', given: 'wei' });
    expect(nameForms([{ text: 'Mary Ann Müller' }])[0]).toMatchObject({ family: 'muller', given: 'maryann' });
    expect(nameForms([{}, { text: '  ' }])).toEqual([]);
  });
});

describe('field normalisers', () => {
  it('normalises Chinese phone numbers to +86 whatever the layout', () => {
    for (const raw of ['13811112222', '138 1111 2222', '+86-138-1111-2222', '0086 13811112222', '8613811112222'])
      expect(normalisePhone(raw)).toBe('+8613811112222');
    expect(normalisePhone('(010) 6512 3456')).toBe('+861065123456');
    expect(normalisePhone('+86 10 6512 3456')).toBe('+861065123456');
    expect(normalisePhone('12')).toBeUndefined();
  });

  it('compares addresses despite dropped administrative suffixes', () => {
    const a = normaliseAddress('北京市朝阳区建国路88号')!;
    expect(addressSimilarity(a, normaliseAddress('北京 朝阳 建国路 88')!)).toBe(1);
    expect(addressSimilarity(a, normaliseAddress('朝阳区建国路88号3楼302室')!)).toBeGreaterThan(0.6);
    expect(addressSimilarity(a, normaliseAddress('上海市徐汇区中山路5号')!)).toBeLessThan(0.3);
    expect(normaliseAddress('、')).toBeUndefined();
  });

  it('recognises birth-date typing errors', () => {
    expect(compareBirthDates('1968-03-12', '1968-03-12')).toEqual({ level: 'exact' });
    expect(compareBirthDates('1968-03-12', '1968-12-03')).toEqual({ level: 'typo', how: 'day-month-swapped' });
    expect(compareBirthDates('1968-03-12', '1968-03-13')).toEqual({ level: 'typo', how: 'one-digit' });
    expect(compareBirthDates('1968-03-12', '1986-03-12')).toEqual({ level: 'typo', how: 'adjacent-digits-swapped' });
    expect(compareBirthDates('1968-03-12', '1975-07-30')).toEqual({ level: 'disagree' });
    expect(compareBirthDates('1968', '1968-03-12')).toEqual({ level: 'partial' });
    expect(compareBirthDates(undefined, '1968-03-12')).toEqual({ level: 'missing' });
  });

  it('scores Jaro–Winkler as published (MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.84)', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('', 'a')).toBe(0);
  });

  it('classifies identifiers by type code, system and label', () => {
    expect(classifyIdentifier({ type: { coding: [{ code: 'NNCHN' }] }, value: 'x' })).toBe('resident-id');
    expect(classifyIdentifier({ type: { coding: [{ code: 'NI' }] }, value: '11010119680312001X' })).toBe('resident-id');
    expect(classifyIdentifier({ type: { text: '医保号' }, value: 'x' })).toBe('insurance');
    expect(classifyIdentifier({ system: 'urn:huizhen:empi', value: 'x' })).toBe('mpi');
    expect(
      classifyIdentifier({ system: 'urn:x', value: 'x' }, { mpiSystems: ['urn:x'], residentIdSystems: [], insuranceSystems: [] }),
    ).toBe('mpi');
    expect(classifyIdentifier({ type: { coding: [{ code: 'PPN' }] }, value: 'x' })).toBe('passport');
    expect(classifyIdentifier({ type: { coding: [{ code: 'MR' }] }, value: 'x' })).toBe('mrn');
    expect(classifyIdentifier({ value: 'x' })).toBe('other');
  });
});
