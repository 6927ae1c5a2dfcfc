import { describe, expect, it } from 'vitest';
import { failureHint, studyName, type FailureHintInput } from '../../../../../src/renderer/features/imaging/failure-hint.ts';
import type { ImagingStudyRef } from '../../../../../src/renderer/features/imaging/imaging-study-refs.ts';
import { failureHintWords } from '../../../../../src/renderer/features/imaging/imaging-words.ts';

const CT: ImagingStudyRef = {
  studyUid: '1.2.1',
  sourceId: 'pacs',
  description: '胸部平扫 Chest CT',
  started: '2025-05-20T09:30:00+08:00',
  modalities: ['CT'],
};
const PRIOR: ImagingStudyRef = {
  studyUid: '1.2.2',
  sourceId: 'pacs',
  description: 'CT 胸部平扫',
  started: '2024-03-11T14:20:00+08:00',
  modalities: ['CT'],
};
const MR: ImagingStudyRef = {
  studyUid: '1.2.3',
  sourceId: 'pacs',
  description: '头颅平扫',
  started: '2023-09-05T10:00:00+08:00',
  modalities: ['MR'],
};
const OTHER_PACS: ImagingStudyRef = {
  studyUid: '1.2.4',
  sourceId: 'pacs-2',
  description: '胸片',
  started: '2022-01-02',
  modalities: ['DX'],
};

function input(more: Partial<FailureHintInput>): FailureHintInput {
  return {
    failure: { code: 'pacs-failed', status: 502, pacsStatus: 500 },
    study: MR,
    studies: [CT, PRIOR, MR],
    seriesUids: ['s1', 's2', 's3'],
    seriesUid: 's1',
    failedSeries: new Set(),
    hasReport: false,
    ...more,
  };
}

describe('what the failure message offers: only what may still open', () => {
  it('another series of the study while one has not failed', () => {
    expect(failureHint(input({ failedSeries: new Set(['s2']) }))).toEqual({ next: 'other-series', report: false });
  });

  it('every other series failed too: the patient’s other studies, by name — never "other series"', () => {
    const hint = failureHint(input({ failedSeries: new Set(['s2', 's3']) }));
    expect(hint).toEqual({ next: 'other-studies', studies: [CT, PRIOR], report: false });
    expect(failureHintWords('zh-CN', hint)).toBe('可打开本患者的其他检查：2025-05-20 CT 胸部平扫 Chest CT、2024-03-11 CT 胸部平扫。');
    expect(failureHintWords('en', hint)).toBe(
      'Other studies of this patient can be opened: 2025-05-20 CT 胸部平扫 Chest CT; 2024-03-11 CT 胸部平扫.',
    );
  });

  it('the series list itself failed: other studies (there are no series to offer)', () => {
    expect(failureHint(input({ seriesUids: undefined, seriesUid: undefined })).next).toBe('other-studies');
  });

  it('a study with one series that failed and no other study: the record, and the report when one is linked', () => {
    const hint = failureHint(input({ studies: [MR], seriesUids: ['s1'], hasReport: true }));
    expect(hint).toEqual({ next: 'record', report: true });
    expect(failureHintWords('zh-CN', hint)).toBe('病历中的其他资料仍可阅读。 右侧的检查报告仍可阅读。');
    expect(failureHintWords('en', hint)).toBe('The rest of the record is still readable. The report beside the images is still readable.');
  });

  it('the PACS unreachable: neither its other series nor its other studies, only another source’s', () => {
    const down = { code: 'pacs-unreachable', status: 502 } as const;
    expect(failureHint(input({ failure: down }))).toEqual({ next: 'record', report: false });
    expect(failureHint(input({ failure: down, studies: [CT, MR, OTHER_PACS] }))).toEqual({
      next: 'other-studies',
      studies: [OTHER_PACS],
      report: false,
    });
  });

  it('the viewer or the workstation itself failing: the record only', () => {
    for (const code of ['setup', 'signed-out', 'no-answer'] as const) {
      expect(failureHint(input({ failure: { code }, hasReport: true }))).toEqual({ next: 'record', report: true });
    }
  });

  it('a study is named by date, then modality unless its description starts with it', () => {
    expect(studyName(CT)).toBe('2025-05-20 CT 胸部平扫 Chest CT');
    expect(studyName(PRIOR)).toBe('2024-03-11 CT 胸部平扫');
    expect(studyName({ ...MR, started: undefined })).toBe('MR 头颅平扫');
  });
});
