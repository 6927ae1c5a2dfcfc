import { describe, expect, it } from 'vitest';
import { dicomToFhirDateTime, normalizeOffset } from '../../../../src/adapters/dicomweb/dicom-datetime.ts';
import { TAG, personName, type DicomJsonDataset } from '../../../../src/adapters/dicomweb/dicom-json.ts';
import { bodySiteCoding, toImagingStudy } from '../../../../src/adapters/dicomweb/imaging-study.ts';
import {
  collapsePatients,
  isResidentIdNumber,
  issuerSystem,
  patientIdFromResourceId,
  patientResourceId,
} from '../../../../src/adapters/dicomweb/patient-mapping.ts';
import { planPatientSearch } from '../../../../src/adapters/dicomweb/patient-query.ts';
import { parseDatasets } from '../../../../src/adapters/dicomweb/qido.ts';
import { SourceError } from '../../../../src/adapters/source-error.ts';
import { DicomwebSourceConfigSchema } from '../../../../src/shared/config/sources/dicomweb.ts';
import { DEMO_PATIENT } from '../../../../src/demo-hospital/synthetic/demo-patient.ts';

const v = (vr: string, ...Value: unknown[]): { vr: string; Value: unknown[] } => ({ vr, Value });

const study: DicomJsonDataset = {
  [TAG.StudyInstanceUID]: v('UI', '1.2.840.99.1'),
  [TAG.StudyDate]: v('DA', '20250520'),
  [TAG.StudyTime]: v('TM', '093000.25'),
  [TAG.AccessionNumber]: v('SH', 'A1'),
  [TAG.ModalitiesInStudy]: v('CS', 'CT', 'SR'),
  [TAG.StudyDescription]: v('LO', 'CT 胸部平扫'),
  [TAG.PatientID]: v('LO', 'P1'),
  [TAG.PatientName]: v('PN', { Alphabetic: 'Zhang^Wei', Ideographic: '张^伟' }),
  [TAG.PatientBirthDate]: v('DA', '19680312'),
  [TAG.PatientSex]: v('CS', 'M'),
};
const series: DicomJsonDataset[] = [
  {
    [TAG.SeriesInstanceUID]: v('UI', '1.2.840.99.1.3'),
    [TAG.SeriesNumber]: v('IS', '3'),
    [TAG.Modality]: v('CS', 'SR'),
    [TAG.NumberOfSeriesRelatedInstances]: v('IS', 1),
  },
  {
    [TAG.SeriesInstanceUID]: v('UI', '1.2.840.99.1.2'),
    [TAG.SeriesNumber]: v('IS', 2),
    [TAG.Modality]: v('CS', 'CT'),
    [TAG.NumberOfSeriesRelatedInstances]: v('IS', '120'),
    [TAG.BodyPartExamined]: v('CS', 'chest'),
  },
  { [TAG.SeriesNumber]: v('IS', 9) }, // no UID: cannot be retrieved, left out
];
const ctx = { sourceId: 'pacs', patientReference: { reference: 'Patient/P1' }, timezoneOffset: '+08:00' };

describe('ImagingStudy mapping', () => {
  it('maps a study with its series, counting instances from the series when the study has no counts', () => {
    const s = toImagingStudy(study, series, ctx)!;
    expect(s).toMatchObject({
      id: '1.2.840.99.1',
      started: '2025-05-20T09:30:00.25+08:00',
      description: 'CT 胸部平扫',
      numberOfSeries: 2,
      numberOfInstances: 121,
      endpoint: [{ reference: 'Endpoint/pacs-dicomweb' }],
    });
    expect(s.modality?.map((m) => m.code)).toEqual(['CT', 'SR']);
    expect(s.series?.map((x) => [x.number, x.numberOfInstances, x.bodySite?.code])).toEqual([
      [2, 120, '816094009'],
      [3, 1, undefined],
    ]);
    expect(s.identifier).toContainEqual({ system: 'urn:dicom:uid', value: 'urn:oid:1.2.840.99.1' });
  });

  it('returns undefined for a study without a UID, and keeps unknown body parts as text', () => {
    expect(toImagingStudy({ [TAG.StudyDate]: v('DA', '20250101') }, [], ctx)).toBeUndefined();
    expect(bodySiteCoding('ELBOW')).toEqual({ display: 'ELBOW' });
  });
});

describe('DICOM date/time', () => {
  it('uses the image offset, then the configured one, and keeps a date without time as a date', () => {
    expect(dicomToFhirDateTime('20250520', '0930', '+0800')).toBe('2025-05-20T09:30:00+08:00');
    expect(dicomToFhirDateTime('20250520', '09', '-05:00')).toBe('2025-05-20T09:00:00-05:00');
    expect(dicomToFhirDateTime('20250520', undefined, '+0800')).toBe('2025-05-20');
    expect(dicomToFhirDateTime('20250520', '2599', '+0800')).toBe('2025-05-20');
    expect(dicomToFhirDateTime('2025-05-20', '0930', undefined)).toBeUndefined();
    expect(dicomToFhirDateTime('20251340', '0930', undefined)).toBeUndefined();
    expect(dicomToFhirDateTime('20250520', '093000', undefined)).toMatch(/^2025-05-20T09:30:00[+-]\d{2}:\d{2}$/);
    expect(normalizeOffset('0800')).toBeUndefined();
  });
});

describe('patients from studies', () => {
  it('collapses studies into one Patient with 汉字 and pinyin names and the issuer as system', () => {
    const later = {
      ...study,
      [TAG.StudyInstanceUID]: v('UI', '1.2.3.9'),
      [TAG.OtherPatientIDs]: v('LO', DEMO_PATIENT.residentId, 'not-an-id', '110101196803120010'),
    };
    const [p, ...rest] = collapsePatients([study, later], 'HZ-PACS', 'pacs');
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ id: 'P1', gender: 'male', birthDate: '1968-03-12' });
    expect(p!.name?.map((n) => [n.text, n.extension?.[0]?.valueCode])).toEqual([
      ['张伟', 'IDE'],
      ['Wei Zhang', 'SYL'],
    ]);
    expect(p!.identifier?.map((i) => [i.system, i.value])).toContainEqual(['urn:huizhen:dicom-issuer:HZ-PACS', 'P1']);
    const residents = p!.identifier?.filter((i) => i.type?.coding?.[0]?.code === 'NNCHN') ?? [];
    expect(residents.map((i) => i.value)).toEqual([DEMO_PATIENT.residentId]);
  });

  it('reads PN written as one "A=I" string, and 汉字 in the alphabetic group', () => {
    expect(personName({ [TAG.PatientName]: v('PN', 'Li^Na=李^娜') }, TAG.PatientName)).toEqual({
      alphabetic: 'Li^Na',
      ideographic: '李^娜',
    });
    const [p] = collapsePatients(
      [{ [TAG.PatientID]: v('LO', 'Q 1'), [TAG.PatientName]: v('PN', { Alphabetic: '王芳' }) }],
      undefined,
      'pacs',
    );
    expect(p!.name).toEqual([{ use: 'official', text: '王芳', extension: [expect.objectContaining({ valueCode: 'IDE' })] }]);
    expect(p!.identifier?.[0]?.system).toBe('urn:huizhen:source:pacs:patient-id');
  });

  it('turns issuers into systems and PatientIDs into reversible FHIR ids', () => {
    expect(issuerSystem('2.16.156.10011.1.3', 'pacs')).toBe('urn:oid:2.16.156.10011.1.3');
    expect(issuerSystem('https://pacs.example/ids', 'pacs')).toBe('https://pacs.example/ids');
    for (const id of ['P10000001', 'Q 1/2', '张-01', 'x-looks-encoded']) {
      const rid = patientResourceId(id);
      expect(patientIdFromResourceId(rid)).toBe(id);
    }
    expect(patientResourceId('P10000001')).toBe('P10000001');
    expect(patientIdFromResourceId('x-%%%')).toBeUndefined();
    expect(isResidentIdNumber('110101196803120010')).toBe(false);
  });
});

describe('what a search sends', () => {
  it('sends IDs as PatientID, 汉字 as typed and in pinyin, Latin names with wildcards', () => {
    expect(planPatientSearch('P10000001')?.queries).toEqual([{ PatientID: 'P10000001' }]);
    expect(planPatientSearch('张伟')?.queries).toEqual([{ PatientName: '*张*伟*' }, { PatientName: '*Zhang*Wei*' }]);
    expect(planPatientSearch('单田芳')?.queries[1]).toEqual({ PatientName: '*Shan*Tian*Fang*' });
    expect(planPatientSearch('zhang wei')?.queries).toEqual([{ PatientName: '*Zhang*Wei*' }]);
    expect(planPatientSearch('Brown*?')?.queries).toEqual([{ PatientName: '*Brown*' }]);
    expect(planPatientSearch(' * ')).toBeUndefined();
  });

  it('keeps pinyin-only hits and drops a different 汉字 name', () => {
    const plan = planPatientSearch('张伟')!;
    expect(plan.keep({ alphabetic: 'Zhang^Wei' })).toBe(true);
    expect(plan.keep({ alphabetic: 'Zhang^Wei', ideographic: '张^伟' })).toBe(true);
    expect(plan.keep({ alphabetic: 'Zhang^Wei', ideographic: '章^维' })).toBe(false);
    expect(plan.keep(undefined)).toBe(true);
  });
});

describe('bad DICOM JSON and bad configuration', () => {
  const endpoint = {
    sourceId: 'pacs',
    sourceName: 'PACS',
    baseUrl: 'http://127.0.0.1:1/dicom-web',
    auth: { type: 'none' as const },
    timeoutMs: 1000,
  };
  it('is a protocol error naming the request and the path, never a crash', () => {
    for (const [body, message] of [
      [null, /not DICOM JSON/],
      [{ not: 'an array' }, /does not fit/],
      [[{ nottag: { vr: 'LO' } }], /at \[0\]\[nottag\]/],
      [[{ '00100010': 'flat' }], /at \[0\]\[00100010\]/],
    ] as const) {
      let caught: unknown;
      try {
        parseDatasets(endpoint, 'QIDO-RS GET studies', body);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SourceError);
      expect(caught).toMatchObject({ code: 'protocol', request: 'QIDO-RS GET studies' });
      expect((caught as Error).message).toMatch(message);
    }
  });

  it('validates the source config with readable errors', () => {
    const ok = DicomwebSourceConfigSchema.parse({ id: 'pacs', name: 'PACS', kind: 'dicomweb', baseUrl: 'https://pacs.example/dicom-web' });
    expect(ok.auth).toEqual({ type: 'none' });
    const bad = DicomwebSourceConfigSchema.safeParse({
      id: 'pacs',
      name: 'PACS',
      kind: 'dicomweb',
      baseUrl: 'ftp://x',
      timezoneOffset: '8',
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['baseUrl', 'timezoneOffset']);
  });
});
