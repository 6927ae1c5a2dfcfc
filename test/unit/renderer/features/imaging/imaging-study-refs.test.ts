import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../../../src/shared/domain/timeline.ts';
import { imagingStudyRefs } from '../../../../../src/renderer/features/imaging/imaging-study-refs.ts';

function imagingEntry(uid: string, series: unknown[]): TimelineEntry {
  return {
    id: `imaging/${uid}`,
    kind: 'imaging',
    title: 'CT',
    codes: [],
    clinicalTime: '2025-05-20T09:30:00+08:00',
    provenance: [{ sourceId: 'pacs', sourceName: 'PACS', sourceKind: 'dicomweb', nativeId: uid, fetchedAt: '2025-05-20T10:00:00Z' }],
    resource: {
      resourceType: 'ImagingStudy',
      id: uid,
      status: 'available',
      subject: { reference: 'Patient/p' },
      description: 'CT 胸部平扫 Chest CT',
      identifier: [{ system: 'urn:dicom:uid', value: `urn:oid:${uid}` }],
      series,
    },
  } as TimelineEntry;
}

describe('imaging study refs: the body parts that decide which prior is comparable', () => {
  it('takes each series’ bodySite: the SNOMED code when mapped, else BodyPartExamined upper-cased, once each', () => {
    const [ref] = imagingStudyRefs([
      imagingEntry('1.2.3', [
        { modality: { code: 'CT' }, bodySite: { system: 'http://snomed.info/sct', code: '51185008', display: 'Chest' } },
        { modality: { code: 'CT' }, bodySite: { system: 'http://snomed.info/sct', code: '51185008', display: 'Chest' } },
        { modality: { code: 'CT' }, bodySite: { display: 'Lung apex' } },
      ]),
    ]);
    expect(ref).toMatchObject({ studyUid: '1.2.3', modalities: ['CT'], bodyParts: ['51185008', 'LUNG APEX'] });
  });

  it('a study without any body part has none (the description decides then)', () => {
    const [ref] = imagingStudyRefs([imagingEntry('1.2.4', [{ modality: { code: 'CT' } }])]);
    expect(ref).toBeDefined();
    expect(ref!.bodyParts).toBeUndefined();
  });
});

describe('imaging study refs: the series the viewer shows first, asked for with the series list', () => {
  it('names the series with the most instances, ties going to the lower series number (the viewer’s own choice)', () => {
    const [ref] = imagingStudyRefs([
      imagingEntry('1.2.5', [
        { uid: '1.2.5.3', number: 3, numberOfInstances: 200, modality: { code: 'CT' } },
        { uid: '1.2.5.1', number: 1, numberOfInstances: 1, modality: { code: 'CT' } },
        { uid: '1.2.5.2', number: 2, numberOfInstances: 200, modality: { code: 'CT' } },
      ]),
    ]);
    expect(ref!.firstSeriesUid).toBe('1.2.5.2');
  });

  it('names none when no series has a usable UID (nothing goes into a URL unchecked)', () => {
    const [ref] = imagingStudyRefs([
      imagingEntry('1.2.6', [
        { uid: '1.2.6/../x', numberOfInstances: 10, modality: { code: 'CT' } },
        { numberOfInstances: 5, modality: { code: 'CT' } },
      ]),
    ]);
    expect(ref!.firstSeriesUid).toBeUndefined();
  });
});
