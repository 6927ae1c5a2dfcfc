import { describe, expect, it } from 'vitest';
import { PATIENT_SEARCH_LIMITS, PatientSearchLimit } from '../../../../../src/main/services/access/patient-search-limit.ts';

const ref = (n: number) => ({ sourceId: 'cdr', sourcePatientId: `pat-${String(n).padStart(4, '0')}` });
const [perMinute, perHour] = PATIENT_SEARCH_LIMITS as [{ windowMs: number; max: number }, { windowMs: number; max: number }];

describe('audit searches by patient reference, bounded per administrator', () => {
  it('admits a few distinct references a minute, then refuses the next until the window moves on', () => {
    let now = 0;
    const limit = new PatientSearchLimit(() => now);
    for (let i = 1; i <= perMinute.max; i++) expect(limit.admit('local:admin', ref(i))).toBe(true);
    expect(limit.admit('local:admin', ref(perMinute.max + 1))).toBe(false);
    // Paging through, or asking again about, a reference already searched costs nothing.
    expect(limit.admit('local:admin', ref(1))).toBe(true);
    // Another administrator has their own count.
    expect(limit.admit('local:admin2', ref(99))).toBe(true);
    now += perMinute.windowMs;
    expect(limit.admit('local:admin', ref(perMinute.max + 1))).toBe(true);
  });

  it('caps an hour too: a script pacing itself under the minute limit still stops', () => {
    let now = 0;
    const limit = new PatientSearchLimit(() => now);
    let admitted = 0;
    for (let i = 1; i <= perHour.max * 2; i++) {
      if (limit.admit('local:admin', ref(i))) admitted += 1;
      now += Math.ceil(perMinute.windowMs / perMinute.max);
    }
    expect(admitted).toBe(perHour.max);
    now += perHour.windowMs;
    expect(limit.admit('local:admin', ref(10_000))).toBe(true);
  });
});
