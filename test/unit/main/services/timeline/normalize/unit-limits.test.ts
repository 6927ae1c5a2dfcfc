/** Timeline unit conversion never hands ucum-lhc a long unit (issue 13 item 5) nor lets it print (item 8). */
import { describe, expect, it, vi } from 'vitest';
import { convertUnit } from '../../../../../../src/main/services/timeline/normalize/convert-unit.ts';

describe('convertUnit guards', () => {
  it('a 100,000-character unit does not convert, at once', () => {
    const started = performance.now();
    expect(convertUnit(4.5, '9'.repeat(100_000), 'mmol/L', 180.156)).toBeUndefined();
    expect(convertUnit(4.5, 'mmol/L', `mg/${'d'.repeat(100_000)}L`, 180.156)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("Object.prototype's names as units convert to nothing instead of throwing", () => {
    for (const odd of ['constructor', 'toString', '__proto__', 'valueOf']) expect(convertUnit(1, odd, 'mmol/L', 180.156)).toBeUndefined();
  });

  it('odd units print nothing', () => {
    const log = vi.spyOn(console, 'log');
    for (const odd of ['((', '{', 'g{a', 'm[Hg', '10^^9', 'toString/L', 'mg/constructor']) convertUnit(1, odd, 'mmol/L');
    expect(log).not.toHaveBeenCalled();
    log.mockRestore();
  });
});
