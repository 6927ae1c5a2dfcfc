import { describe, expect, it } from 'vitest';
import { PrivacyConfigSchema } from '../../../../../src/shared/config/privacy.ts';
import {
  maskGenericId,
  maskIdentifier,
  maskIdentifierValue,
  maskResidentId,
} from '../../../../../src/main/services/privacy/mask-identifier.ts';

describe('身份证', () => {
  it('keeps the region code and the last four of an 18-digit number', () => {
    expect(maskResidentId('110101196803120132')).toBe('110101********0132');
    expect(maskResidentId('11010119680312013x')).toBe('110101********013X');
  });

  it('keeps at most the 3-digit sequence of a 15-digit number, never a birth-date digit', () => {
    expect(maskResidentId('110101680312013')).toBe('110101******013');
  });

  it('follows the configuration, still never showing the birth date', () => {
    expect(maskResidentId('110101196803120132', PrivacyConfigSchema.parse({ idKeepStart: 3, idKeepEnd: 2 }))).toBe('110*************32');
    expect(maskResidentId('110101196803120132', PrivacyConfigSchema.parse({ idKeepStart: 10, idKeepEnd: 6 }))).toBe('110101********0132');
  });

  it('masks values without the 身份证 shape as generic ids', () => {
    expect(maskResidentId('1101011968')).toBe('*******968');
    expect(maskResidentId('ABC')).toBe('***');
    expect(maskResidentId('')).toBe('');
  });
});

describe('other identifiers', () => {
  it('keeps a short tail, at most a third of the value', () => {
    expect(maskGenericId('CDR-000001')).toBe('*******001');
    expect(maskGenericId('H1000001')).toBe('******01');
    expect(maskGenericId('12')).toBe('**');
  });

  it('maskIdentifierValue picks the rule by shape and tolerates missing values', () => {
    expect(maskIdentifierValue('110101196803120132')).toBe('110101********0132');
    expect(maskIdentifierValue('P10000001')).toBe('******001');
    expect(maskIdentifierValue(undefined)).toBe('');
  });

  it('maskIdentifier keeps system and type', () => {
    const id = { system: 'urn:oid:2.16.156.10011.1.3', type: { text: '居民身份证' }, value: '110101196803120132' };
    expect(maskIdentifier(id)).toEqual({ ...id, value: '110101********0132' });
    expect(id.value).toBe('110101196803120132');
  });
});
