import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastIsoEpochMs } from '../../../../../src/main/services/timeline/iso-instant.ts';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Date-like strings, most well formed, many with a field out of range or a character off. */
const dateLike = fc
  .record({
    year: fc.oneof(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 0, max: 999 }), fc.constantFrom(1970, 2000, 2024, 2100)),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    time: fc.option(
      fc.record({
        hour: fc.integer({ min: 0, max: 25 }),
        minute: fc.integer({ min: 0, max: 60 }),
        second: fc.option(fc.integer({ min: 0, max: 61 })),
        fraction: fc.option(fc.stringMatching(/^[0-9]{1,6}$/)),
        zone: fc.oneof(
          fc.constant('Z'),
          fc.constant(''),
          fc
            .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 60 }))
            .map(([s, h, m]) => `${s}${pad(h, 2)}:${pad(m, 2)}`),
        ),
      }),
    ),
  })
  .map(({ year, month, day, time }) => {
    let s = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
    if (time) {
      s += `T${pad(time.hour, 2)}:${pad(time.minute, 2)}`;
      if (time.second !== null) s += `:${pad(time.second, 2)}${time.fraction !== null ? `.${time.fraction}` : ''}`;
      s += time.zone;
    }
    return s;
  });

describe('fastIsoEpochMs', () => {
  it('agrees with Date.parse wherever it answers', () => {
    fc.assert(
      fc.property(dateLike, (s) => {
        const fast = fastIsoEpochMs(s);
        if (fast !== undefined) expect(fast).toBe(Date.parse(s));
      }),
      { numRuns: 20_000 },
    );
  });

  it('answers for the forms hospital systems send', () => {
    for (const s of [
      '2024-03-01',
      '2024-02-29T23:59:59Z',
      '2024-03-01T08:30:00+08:00',
      '2024-03-01T08:30:00.123-05:00',
      '1999-12-31T16:00Z',
      '2100-01-01T00:00:00Z',
    ]) {
      expect(fastIsoEpochMs(s), s).toBe(Date.parse(s));
    }
  });

  it('leaves other forms to Date.parse', () => {
    for (const s of [
      '2024',
      '2024-03',
      '2024-03-01T08:30:00',
      '2023-02-29',
      '2024-03-01T24:00:00Z',
      '2024-03-01T08:30:00.1Z',
      '0050-01-01',
      '2024-03-01 08:30:00Z',
      'garbage!!',
      '2024-03-01T08:30:00+0800',
    ]) {
      expect(fastIsoEpochMs(s), s).toBeUndefined();
    }
  });
});
