import { describe, expect, it } from 'vitest';
import { patientQueryReadings } from '../../../src/adapters/query/patient-query.ts';
import { capCandidates } from '../../../src/main/services/patient-record/index.ts';
import type { PatientCandidate } from '../../../src/shared/domain/patient.ts';

const candidate = (n: number): PatientCandidate => ({
  key: `k${n}`,
  displayName: `王${n}`,
  otherNames: [],
  identifiers: [],
  refs: [{ sourceId: 'cdr', sourcePatientId: `p${n}` }],
  link: { outcome: 'single', reasons: [] },
});

describe('a surname alone lists the matching patients, capped', () => {
  it('a single surname in 汉字 or pinyin is a name search, not an identifier', () => {
    expect(patientQueryReadings('王')).toEqual([{ name: '王' }]);
    expect(patientQueryReadings('wang')).toEqual([{ name: 'wang' }]);
    expect(patientQueryReadings('Wang')).toEqual([{ name: 'Wang' }]);
  });

  it('lists at most the limit and says there are more', () => {
    const many = Array.from({ length: 25 }, (_, i) => candidate(i));
    const capped = capCandidates(many, 20);
    expect(capped.candidates.map((c) => c.key)).toEqual(many.slice(0, 20).map((c) => c.key));
    expect(capped.more).toBe(true);
  });

  it('says nothing more when everything fits', () => {
    const few = [candidate(1), candidate(2)];
    expect(capCandidates(few, 2)).toEqual({ candidates: few, more: false });
    expect(capCandidates([], 20)).toEqual({ candidates: [], more: false });
  });
});
