import { describe, expect, it } from 'vitest';
import { createFormatter } from '../../../../src/renderer/i18n/format.ts';
import { flagFromRange, labValueText, prettyValue, rangeText, unitText } from '../../../../src/renderer/lib/lab-value.ts';

const num = createFormatter('zh-CN').number;

describe('lab values', () => {
  it('rounds converted values to three significant digits without losing integer digits', () => {
    expect(labValueText(num, { value: 7.549, unit: 'mmol/L', original: { value: 136, unit: 'mg/dL' } })?.value).toBe('7.55');
    expect(labValueText(num, { value: 1234.56, unit: 'umol/L', original: { value: 14, unit: 'mg/dL' } })?.value).toBe('1235');
    expect(labValueText(num, { value: 0.01234, unit: 'ng/mL', original: { value: 12.34, unit: 'ng/L' } })?.value).toBe('0.0123');
  });
  it('shows values that were not converted exactly as sent', () => {
    const text = labValueText(num, { value: 4.25, unit: 'mmol/L', low: 3.5, high: 5.1 });
    expect(text).toEqual({ value: '4.25', unit: 'mmol/L', range: '3.5–5.1 mmol/L' });
  });
  it('has no text without a value', () => {
    expect(labValueText(num, { unit: 'mmol/L' })).toBeUndefined();
  });
  it('writes one-sided ranges and UCUM units as a lab report does', () => {
    expect(rangeText(num, { value: 1, unit: 'ng/mL', high: 0.04 })).toBe('≤ 0.04 ng/mL');
    expect(rangeText(num, { value: 1, unit: 'mL/min', low: 90 })).toBe('≥ 90 mL/min');
    expect(rangeText(num, { value: 1 })).toBeUndefined();
    expect(unitText('10*9/L')).toBe('×10⁹/L');
    expect(unitText('umol/L')).toBe('µmol/L');
    expect(unitText(undefined)).toBe('');
  });
  it('flags from the normalised range', () => {
    expect(flagFromRange({ value: 6, low: 3.9, high: 5.5 })).toBe('H');
    expect(flagFromRange({ value: 3, low: 3.9, high: 5.5 })).toBe('L');
    expect(flagFromRange({ value: 5, low: 3.9, high: 5.5 })).toBeUndefined();
    expect(flagFromRange(undefined)).toBeUndefined();
  });
  it('prettifies conflict values and leaves text it cannot read alone', () => {
    expect(prettyValue(num, '6.994 mmol/L')).toBe('6.99 mmol/L');
    expect(prettyValue(num, '140.5 mg/dL')).toBe('140.5 mg/dL');
    expect(prettyValue(num, '<0.01 ng/mL')).toBe('<0.01 ng/mL');
    expect(prettyValue(num, '5.2 10*9/L')).toBe('5.2 ×10⁹/L');
    expect(prettyValue(num, '阳性')).toBe('阳性');
  });
});
