import { describe, expect, it } from 'vitest';
import { computeAge } from '../../../../src/renderer/lib/age.ts';
import { parseClinicalTime } from '../../../../src/renderer/lib/clinical-time.ts';

const now = new Date(2025, 2, 15); // 2025-03-15 local

describe('computeAge', () => {
  it('counts whole years, not yet having had the birthday', () => {
    expect(computeAge('1968-03-15', now)).toEqual({ value: 57, unit: 'years', approximate: false });
    expect(computeAge('1968-03-16', now)).toEqual({ value: 56, unit: 'years', approximate: false });
  });
  it('uses months under one year and days under one month', () => {
    expect(computeAge('2024-06-20', now)).toEqual({ value: 8, unit: 'months', approximate: false });
    expect(computeAge('2025-03-01', now)).toEqual({ value: 14, unit: 'days', approximate: false });
    expect(computeAge('2025-03-15', now)).toEqual({ value: 0, unit: 'days', approximate: false });
  });
  it('marks partial birth dates approximate and rejects future or malformed ones', () => {
    expect(computeAge('1968-04', now)).toEqual({ value: 56, unit: 'years', approximate: true });
    expect(computeAge('1968', now)?.approximate).toBe(true);
    expect(computeAge('2026-01-01', now)).toBeUndefined();
    expect(computeAge('not a date', now)).toBeUndefined();
    expect(computeAge(undefined, now)).toBeUndefined();
  });
});

describe('parseClinicalTime', () => {
  it('keeps date-only values on their calendar date whatever the time zone', () => {
    const t = parseClinicalTime('2024-03-05');
    expect(t).toMatchObject({ precision: 'day', year: 2024, month: 3, day: 5 });
    expect(parseClinicalTime('2024-13')).toBeUndefined();
    expect(parseClinicalTime('2024-03-05T14:02:00+08:00')?.precision).toBe('time');
  });
});
