// The order's words the images carry (issue 18): a study whose order reaches the workstation no
// other way still says why it was done. Public DICOM (pydicom's test files, as DICOM JSON; origin in
// fixtures/README.md) and generated datasets in the shape a Chinese PACS answers QIDO with.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../../../src/adapters/dicomweb/dicom-json.ts';
import { toImagingStudy } from '../../../../src/adapters/dicomweb/imaging-study.ts';
import { studyOrderFields } from '../../../../src/adapters/dicomweb/study-order.ts';
import { STUDY_FIELDS } from '../../../../src/adapters/dicomweb/qido.ts';

const pydicom = JSON.parse(readFileSync(new URL('./fixtures/pydicom-order-attributes.json', import.meta.url), 'utf8')) as Record<
  string,
  DicomJsonDataset
>;
const lo = (...values: string[]) => ({ vr: 'LO', Value: values });
const UID = '2.25.33469017452376398232146385733457392716';
const ctx = { sourceId: 'pacs', patientReference: { reference: 'Patient/p1' } };

describe('studyOrderFields on pydicom’s test files', () => {
  it('a referring physician written Family^Given reads "Given Family"', () => {
    expect(studyOrderFields(pydicom['SC_rgb_jpeg_dcmtk.dcm']!, [])).toEqual({ referrer: { display: 'James Moriarty' } });
  });
  it('a PN of separators only, and reasons present but empty, give nothing', () => {
    expect(studyOrderFields(pydicom['image_dfl.dcm']!, [])).toEqual({});
    const ecg = studyOrderFields(pydicom['waveform_ecg.dcm']!, []);
    expect(ecg.reasonCode).toBeUndefined();
    expect(ecg.referrer).toEqual({ display: '2721' });
  });
});

describe('studyOrderFields on generated studies', () => {
  const study: DicomJsonDataset = {
    '0020000D': { vr: 'UI', Value: [UID] },
    '00080090': { vr: 'PN', Value: [{ Alphabetic: 'Wang^Wei', Ideographic: '王^伟' }] },
    '00321030': lo('头晕 2 周，排除脑梗死'),
    '00401002': lo('头晕 2 周，排除脑梗死', '高血压 10 年'),
    '00081080': lo('原发性高血压', '2 型糖尿病'),
  };
  it('Reason for Study and Reason for the Requested Procedure become reasons (once each); admitting diagnoses a note; the ideographic name the referrer', () => {
    expect(studyOrderFields(study, [])).toEqual({
      reasonCode: [{ text: '头晕 2 周，排除脑梗死' }, { text: '高血压 10 年' }],
      note: [{ text: '原发性高血压' }, { text: '2 型糖尿病' }],
      referrer: { display: '王伟' },
    });
  });
  it('reads the Request Attributes Sequence of each series, where modalities put 0040,1002', () => {
    const series: DicomJsonDataset = {
      '0020000E': { vr: 'UI', Value: [`${UID}.1`] },
      '00400275': { vr: 'SQ', Value: [{ '00401002': lo('咯血 3 天'), '00321060': lo('胸部CT平扫') }] },
    };
    expect(studyOrderFields({ '0020000D': { vr: 'UI', Value: [UID] } }, [series]).reasonCode).toEqual([{ text: '咯血 3 天' }]);
  });
  it('the ImagingStudy carries them, so the viewer finds the indication when no order links', () => {
    const resource = toImagingStudy(study, [], ctx);
    expect(resource?.reasonCode?.[0]?.text).toBe('头晕 2 周，排除脑梗死');
    expect(resource?.referrer?.display).toBe('王伟');
    expect(resource?.note).toHaveLength(2);
  });
  it('QIDO asks for the study-level order attributes', () => {
    expect(STUDY_FIELDS).toEqual(expect.arrayContaining(['00080090', '00081080', '00321030', '00401002']));
  });
});
