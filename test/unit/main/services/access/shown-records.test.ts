import { describe, expect, it } from 'vitest';
import { ShownRecords } from '../../../../../src/main/services/access/shown-records.ts';
import type { SourcePatientRef } from '../../../../../src/shared/domain/source.ts';

const ref = (sourceId: string, sourcePatientId: string): SourcePatientRef => ({ sourceId, sourcePatientId });

describe('the records the screen showed each user', () => {
  it('is per user: what one user was shown is not shown to another, and forgetting one leaves the other', () => {
    const shown = new ShownRecords();
    shown.show('D1', [ref('cdr', 'P1'), ref('his', 'H1')]);
    shown.show('N1', [ref('lis', 'L1')]);
    expect(shown.wasShown('D1', ref('cdr', 'P1'))).toBe(true);
    expect(shown.wasShown('N1', ref('cdr', 'P1'))).toBe(false);
    expect(shown.notShown('D1', [ref('his', 'H1'), ref('lis', 'L1')])).toEqual([ref('lis', 'L1')]);
    shown.forget('D1');
    expect(shown.wasShown('D1', ref('cdr', 'P1'))).toBe(false);
    expect(shown.wasShown('N1', ref('lis', 'L1'))).toBe(true);
  });

  it('a record is its system and id together: the same id in another system was not shown', () => {
    const shown = new ShownRecords();
    shown.show('D1', [ref('cdr', 'P1')]);
    expect(shown.wasShown('D1', ref('his', 'P1'))).toBe(false);
    // No separator trick: a system id ending where a patient id begins names no other record.
    shown.show('D1', [ref('cdr', 'P\u00001')]);
    expect(shown.wasShown('D1', ref('cdr\u0000P', '1'))).toBe(false);
  });

  it('is bounded per user, the oldest going first; what is shown again counts as new', () => {
    const shown = new ShownRecords();
    const first = ref('cdr', 'first');
    shown.show('D1', [first]);
    shown.show(
      'D1',
      Array.from({ length: 4999 }, (_, i) => ref('cdr', `P${i}`)),
    );
    shown.show('D1', [first]);
    shown.show('D1', [ref('cdr', 'one-more'), ref('cdr', 'and-another')]);
    expect(shown.wasShown('D1', first)).toBe(true);
    expect(shown.wasShown('D1', ref('cdr', 'P0'))).toBe(false);
    expect(shown.wasShown('D1', ref('cdr', 'P1'))).toBe(false);
    expect(shown.wasShown('D1', ref('cdr', 'P2'))).toBe(true);
  });
});
