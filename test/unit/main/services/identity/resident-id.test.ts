import { describe, expect, it } from 'vitest';
import {
  checkResidentId,
  residentIdCheckChar,
  residentIdMismatches,
  upgradeLegacyResidentId,
} from '../../../../../src/main/services/identity/resident-id.ts';

const today = new Date('2026-01-01T00:00:00Z');

describe('checkResidentId', () => {
  it('accepts a valid 18-digit number, including the X check character, and decodes it', () => {
    expect(residentIdCheckChar('11010119680312001')).toBe('X');
    expect(checkResidentId('11010119680312001x', today)).toEqual({
      valid: true,
      id: '11010119680312001X',
      areaCode: '110101',
      birthDate: '1968-03-12',
      sex: 'male',
      upgradedFrom15: false,
    });
    expect(checkResidentId('110105 19850704 0028', today)).toMatchObject({ valid: true, sex: 'female', birthDate: '1985-07-04' });
  });

  it('rejects a wrong check digit, as every single-digit typing error gives', () => {
    const good = '11010119680312001X';
    expect(checkResidentId('110101196803120014', today)).toMatchObject({ valid: false, problem: 'check-digit' });
    for (let i = 0; i < 17; i++) {
      const typo = good.slice(0, i) + String((Number(good[i]) + 1) % 10) + good.slice(i + 1);
      const result = checkResidentId(typo, today);
      expect(result.valid, typo).toBe(false);
    }
  });

  it('rejects bad formats, impossible birth dates and unknown provinces', () => {
    expect(checkResidentId('1234', today)).toMatchObject({ valid: false, problem: 'format' });
    expect(checkResidentId('11010119680312001A', today)).toMatchObject({ valid: false, problem: 'format' });
    const withCheck = (first17: string) => first17 + residentIdCheckChar(first17)!;
    expect(checkResidentId(withCheck('11010119680230001'), today)).toMatchObject({ valid: false, problem: 'birth-date' });
    expect(checkResidentId(withCheck('11010120300101001'), today)).toMatchObject({ valid: false, problem: 'birth-date' });
    expect(checkResidentId(withCheck('99010119680312001'), today)).toMatchObject({ valid: false, problem: 'area' });
    expect(checkResidentId('110101196803120014', today)).toMatchObject({ valid: false, problem: 'check-digit' });
  });

  it('upgrades a legacy 15-digit number to the 18-digit form', () => {
    expect(upgradeLegacyResidentId('110101680312001')).toBe('11010119680312001X');
    expect(checkResidentId('110101680312001', today)).toMatchObject({ valid: true, id: '11010119680312001X', upgradedFrom15: true });
    expect(upgradeLegacyResidentId('12345')).toBeUndefined();
  });

  it('explains where a valid number contradicts the record carrying it', () => {
    const id = checkResidentId('11010119680312001X', today);
    if (!id.valid) throw new Error('expected valid');
    expect(residentIdMismatches(id, { birthDate: '1968-03-12', sex: 'male' })).toEqual([]);
    expect(residentIdMismatches(id, { birthDate: '1968-03-21', sex: 'female' })).toEqual([
      { field: 'birth-date', encoded: '1968-03-12', recorded: '1968-03-21' },
      { field: 'sex', encoded: 'male', recorded: 'female' },
    ]);
    expect(residentIdMismatches(id, { birthDate: '1968' })).toEqual([]);
  });
});
