import { describe, expect, it } from 'vitest';
import { classifyPatientQuery, patientQueryReadings } from '../../../../src/adapters/query/patient-query.ts';
import { pdqQueriesFor } from '../../../../src/adapters/hl7v2/patient-text-query.ts';

describe('patient query readings', () => {
  it('reads a Synthea-style name (words with digits) both as a name and as identifiers, dropping no token', () => {
    const readings = patientQueryReadings('Johnnie679 Hermiston71');
    expect(readings).toContainEqual({ name: 'Johnnie679 Hermiston71' });
    expect(readings).toContainEqual({ identifier: 'Johnnie679' });
    expect(readings).toContainEqual({ identifier: 'Hermiston71' });
  });

  it('keeps an MRN an identifier and a name a name, ANDed in one reading', () => {
    expect(patientQueryReadings('张伟 H1000001')).toEqual([{ identifier: 'H1000001', name: '张伟' }]);
    expect(patientQueryReadings('CDR-000001')).toEqual([{ identifier: 'CDR-000001' }]);
    expect(patientQueryReadings('zhang wei 1968-03-12')).toEqual([{ birthdate: '1968-03-12', name: 'zhang wei' }]);
    expect(patientQueryReadings('11010119680312013x')).toEqual([{ identifier: '11010119680312013X' }]);
  });

  it('asks every identifier typed, not only the last one', () => {
    const ids = patientQueryReadings('H1000001 CDR-000001').map((r) => r.identifier);
    expect(ids).toEqual(['H1000001', 'CDR-000001']);
  });

  it('a word with digits read as an identifier also goes into the name reading', () => {
    const readings = patientQueryReadings('Johnnie679 1990-01-02');
    expect(readings).toEqual([
      { identifier: 'Johnnie679', birthdate: '1990-01-02' },
      { birthdate: '1990-01-02', name: 'Johnnie679' },
    ]);
  });

  it('a date alone searches by birth date; nothing searchable gives no reading', () => {
    expect(patientQueryReadings('1968-03-12')).toEqual([{ birthdate: '1968-03-12' }]);
    expect(patientQueryReadings('   ')).toEqual([]);
    expect(classifyPatientQuery('')).toEqual({});
  });

  it('bounds the readings of one query', () => {
    expect(patientQueryReadings('a1 b2 c3 d4 e5 f6 g7').length).toBeLessThanOrEqual(4);
  });

  it('HL7 v2 PDQ asks each reading', () => {
    const queries = pdqQueriesFor('Johnnie679 Hermiston71');
    expect(queries).toContainEqual({ identifier: 'Johnnie679' });
    expect(queries).toContainEqual({ family: 'Johnnie679', given: 'Hermiston71' });
    expect(queries).toContainEqual({ family: 'Hermiston71', given: 'Johnnie679' });
  });
});
