import { describe, expect, it } from 'vitest';
import { DicomJsonMaskError, maskDicomJson } from '../../../../../src/main/services/privacy/mask-dicom-json.ts';

const study = [
  {
    '00080020': { vr: 'DA', Value: ['20250301'] },
    '00080050': { vr: 'SH', Value: ['ACC20250301001'] },
    '00080090': { vr: 'PN', Value: [{ Alphabetic: 'Li^Na', Ideographic: '李^娜' }] },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Zhang^Wei', Ideographic: '张^伟', Phonetic: 'zhang^wei' }] },
    '00100020': { vr: 'LO', Value: ['P10000001'] },
    '00100021': { vr: 'LO', Value: ['HOSP-PACS'] },
    '00100030': { vr: 'DA', Value: ['19680312'] },
    '00100040': { vr: 'CS', Value: ['M'] },
    '00101002': {
      vr: 'SQ',
      Value: [{ '00100020': { vr: 'LO', Value: ['110101196803120132'] }, '00100022': { vr: 'CS', Value: ['TEXT'] } }],
    },
    '00101040': { vr: 'LO', Value: ['北京市东城区东华门大街1号'] },
    '00102154': { vr: 'SH', Value: ['13811112222'] },
    '0020000D': { vr: 'UI', Value: ['1.2.3.4'] },
    '7FE00010': { vr: 'OW', BulkDataURI: 'http://127.0.0.1/frames/1' },
  },
];

describe('maskDicomJson', () => {
  it('masks identifying attributes, keeping them present for the overlay', () => {
    const original = structuredClone(study);
    const [masked] = maskDicomJson(study);
    expect(study).toEqual(original);
    expect(masked!['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'Z****^W**', Ideographic: '张*', Phonetic: 'z****^w**' }] });
    expect(masked!['00080090']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'L*^N*', Ideographic: '李*' }] });
    expect(masked!['00100020']).toEqual({ vr: 'LO', Value: ['******001'] });
    expect(masked!['00100021']).toEqual({ vr: 'LO', Value: ['HOSP-PACS'] });
    expect(masked!['00100030']).toEqual({ vr: 'DA' });
    expect(masked!['00101002']!.Value).toEqual([
      { '00100020': { vr: 'LO', Value: ['110101********0132'] }, '00100022': { vr: 'CS', Value: ['TEXT'] } },
    ]);
    expect(masked!['00101040']).toEqual({ vr: 'LO', Value: ['北京市东城区******'] });
    expect(masked!['00102154']).toEqual({ vr: 'SH', Value: ['*******2222'] });
    expect(masked!['00080050']).toEqual({ vr: 'SH', Value: ['**********1001'] });
    // Not identifying: study date, sex, UIDs, bulk data.
    expect(masked!['00080020']).toEqual(study[0]!['00080020']);
    expect(masked!['00100040']).toEqual(study[0]!['00100040']);
    expect(masked!['0020000D']).toEqual(study[0]!['0020000D']);
    expect(masked!['7FE00010']).toEqual(study[0]!['7FE00010']);
  });

  it('accepts an empty body and elements without values', () => {
    expect(maskDicomJson([])).toEqual([]);
    expect(maskDicomJson([{ '00100010': { vr: 'PN' } }])).toEqual([{ '00100010': { vr: 'PN' } }]);
  });

  it('rejects bodies that are not DICOM JSON, naming where', () => {
    expect(() => maskDicomJson({ not: 'an array' })).toThrow(DicomJsonMaskError);
    expect(() => maskDicomJson([{ '00100010': { Value: ['x'] } }])).toThrow(/\[0\]\[00100010\]\[vr\]/);
    expect(() => maskDicomJson([{ PatientName: { vr: 'PN' } }])).toThrow(/not a DICOM JSON body/);
  });
});
