import { describe, expect, it } from 'vitest';
import { PrivacyConfigSchema } from '../../../../../src/shared/config/privacy.ts';
import { shiftDate } from '../../../../../src/main/services/privacy/date-shift.ts';
import { createUidRemapper } from '../../../../../src/main/services/privacy/dicom/uid-remapper.ts';
import { BASIC_PROFILE_TABLE } from '../../../../../src/main/services/privacy/dicom/basic-profile-table.ts';

describe('UID remapping', () => {
  it('is consistent within one export and unlinkable across exports', () => {
    const a = createUidRemapper(new Uint8Array(32).fill(1));
    const b = createUidRemapper(new Uint8Array(32).fill(2));
    const uid = '1.2.826.0.1.3680043.8.498.1';
    expect(a.remap(uid)).toBe(a.remap(`${uid}\0`));
    expect(a.remap(uid)).not.toBe(b.remap(uid));
    expect(a.remap(uid)).toMatch(/^2\.25\.[1-9]\d{0,38}$/);
    expect(a.remap(uid).length).toBeLessThanOrEqual(64);
    expect(a.size).toBe(1);
  });

  it('refuses a secret too short to be one', () => {
    expect(() => createUidRemapper(new Uint8Array(4))).toThrow(RangeError);
  });
});

describe('date shifting', () => {
  it('keeps precision and time zone text', () => {
    expect(shiftDate('2025-03-01', -1)).toBe('2025-02-28');
    expect(shiftDate('2024-02-28T08:30:00+08:00', 1)).toBe('2024-02-29T08:30:00+08:00');
    expect(shiftDate('2025-03', 10)).toBe('2025-03');
    expect(shiftDate('not a date', 10)).toBe('not a date');
  });
});

describe('the Basic Profile table', () => {
  it('lists each attribute once, with the identifying ones the profile names', () => {
    const tags = BASIC_PROFILE_TABLE.map(([tag]) => tag);
    expect(new Set(tags).size).toBe(tags.length);
    const action = (tag: string) => BASIC_PROFILE_TABLE.find(([t]) => t === tag)?.[2];
    expect(action('00100010')).toBe('Z');
    expect(action('00100020')).toBe('Z');
    expect(action('00080018')).toBe('U');
    expect(action('00081155')).toBe('U');
    expect(action('00101040')).toBe('X');
  });
});

describe('privacy configuration', () => {
  it('has the documented defaults and rejects unknown or out-of-range fields by name', () => {
    expect(PrivacyConfigSchema.parse({})).toMatchObject({
      idKeepStart: 6,
      idKeepEnd: 4,
      phoneKeepEnd: 4,
      maskChar: '*',
      birthDate: 'year',
      export: { dateShift: false },
    });
    expect(PrivacyConfigSchema.safeParse({ idKeepEnd: 9 }).error?.issues[0]?.path).toEqual(['idKeepEnd']);
    expect(PrivacyConfigSchema.safeParse({ maskChar: '**' }).success).toBe(false);
    expect(PrivacyConfigSchema.safeParse({ surprise: true }).success).toBe(false);
  });
});
