import { describe, expect, it } from 'vitest';
import { ImagingConfigSchema } from '../../../../../src/shared/config/imaging.ts';
import {
  comparablePriors,
  defaultCompare,
  layoutFor,
  placeInCell,
  sameBodyPart,
} from '../../../../../src/renderer/features/imaging/compare-layout.ts';
import type { ImagingStudyRef } from '../../../../../src/renderer/features/imaging/imaging-study-refs.ts';

function study(uid: string, started: string, modality: string, description: string, bodyParts?: string[]): ImagingStudyRef {
  return { studyUid: uid, sourceId: 'pacs', description, started, modalities: [modality], ...(bodyParts ? { bodyParts } : {}) };
}

const CHEST = '51185008';
const currentCt = study('1.1', '2025-05-20T09:30:00+08:00', 'CT', 'CT 胸部平扫 Chest CT', [CHEST]);
const priorCt = study('1.2', '2024-03-11T14:20:00+08:00', 'CT', 'CT 胸部平扫 Chest CT', [CHEST]);
const olderCt = study('1.3', '2022-01-05T08:00:00+08:00', 'CT', 'CT 胸部增强 Chest CT', [CHEST]);
const abdomenCt = study('1.4', '2024-12-01T10:00:00+08:00', 'CT', 'CT 腹部平扫 Abdomen CT', ['818981001']);
const brainMr = study('1.5', '2023-09-05T10:15:00+08:00', 'MR', 'MR 头颅平扫 Brain MR', ['69536005']);
const laterCt = study('1.6', '2025-06-01T09:00:00+08:00', 'CT', 'CT 胸部平扫 Chest CT', [CHEST]);
const all = [laterCt, currentCt, abdomenCt, priorCt, brainMr, olderCt];

describe('default layout: current + most recent prior of the same modality and body part', () => {
  it('a chest CT with chest CT priors opens 1×2 beside the most recent earlier one (not a later one, not the abdomen)', () => {
    expect(comparablePriors(currentCt, all).map((s) => s.studyUid)).toEqual(['1.2', '1.3']);
    expect(defaultCompare(currentCt, all)).toEqual({ layout: '1x2', studies: [currentCt, priorCt] });
  });

  it('no prior of the same body part, or none of the modality: 1×1', () => {
    expect(defaultCompare(abdomenCt, all)).toEqual({ layout: '1x1', studies: [abdomenCt] });
    expect(defaultCompare(brainMr, all)).toEqual({ layout: '1x1', studies: [brainMr] });
    expect(defaultCompare(olderCt, all)).toEqual({ layout: '1x1', studies: [olderCt] });
  });

  it('without BodyPartExamined the study descriptions decide (spacing and case aside)', () => {
    const a = study('2.1', '2025-01-01', 'DX', 'DX 胸部正位 Chest PA');
    const b = study('2.2', '2024-01-01', 'DX', 'dx 胸部正位  chest pa');
    const c = study('2.3', '2023-01-01', 'DX', 'DX 膝关节 Knee');
    expect(sameBodyPart(a, b)).toBe(true);
    expect(sameBodyPart(a, c)).toBe(false);
    expect(defaultCompare(a, [a, b, c])).toEqual({ layout: '1x2', studies: [a, b] });
  });

  it('modalities read alone by default (ultrasound) stay 1×1 even with a prior', () => {
    const us = study('3.1', '2025-01-01', 'US', 'US 腹部 Abdomen', ['ABDOMEN']);
    const usPrior = study('3.2', '2024-01-01', 'US', 'US 腹部 Abdomen', ['ABDOMEN']);
    expect(defaultCompare(us, [us, usPrior]).layout).toBe('1x1');
  });

  it('a configured modality overrides only itself: CT keeps its default 1×2 when only MR is configured', () => {
    const { defaultLayouts } = ImagingConfigSchema.parse({ defaultLayouts: { MR: { layout: '1x1', priors: 0 } } });
    expect(defaultCompare(currentCt, all, defaultLayouts)).toEqual({ layout: '1x2', studies: [currentCt, priorCt] });
    const priorMr = study('1.8', '2021-01-01', 'MR', 'MR 头颅平扫 Brain MR', ['69536005']);
    expect(defaultCompare(brainMr, [brainMr, priorMr], defaultLayouts)).toEqual({ layout: '1x1', studies: [brainMr] });
  });

  it('the configured table decides: 2×2 with three priors for CT, and "*" for the rest', () => {
    const { defaultLayouts } = ImagingConfigSchema.parse({
      defaultLayouts: { CT: { layout: '2x2', priors: 3 }, '*': { layout: '1x2', priors: 1 } },
    });
    const third = study('1.7', '2020-01-01', 'CT', 'CT 胸部平扫 Chest CT', [CHEST]);
    expect(defaultCompare(currentCt, [...all, third], defaultLayouts)).toEqual({
      layout: '2x2',
      studies: [currentCt, priorCt, olderCt, third],
    });
    const us = study('3.1', '2025-01-01', 'US', 'US 腹部 Abdomen', ['ABDOMEN']);
    const usPrior = study('3.2', '2024-01-01', 'US', 'US 腹部 Abdomen', ['ABDOMEN']);
    expect(defaultCompare(us, [us, usPrior], defaultLayouts).layout).toBe('1x2');
    // A table without "*" opens unlisted modalities alone.
    expect(defaultCompare(brainMr, [brainMr], { CT: { layout: '1x2', priors: 1 } }).layout).toBe('1x1');
  });

  it('layoutFor gives room for the viewports asked for', () => {
    expect([1, 2, 3, 4].map(layoutFor)).toEqual(['1x1', '1x2', '2x2', '2x2']);
  });
});

describe('"对比" and drops: which viewport a study or series goes to', () => {
  const a = { studyUid: 'a' };
  const b = { studyUid: 'b', seriesUid: 's' };
  it('a free viewport on screen first', () => {
    expect(placeInCell('2x2', [a, undefined, undefined], b)).toEqual({ layout: '2x2', cells: [a, b, undefined] });
    expect(placeInCell('1x2', [undefined], b)).toEqual({ layout: '1x2', cells: [b] });
  });

  it('none free: the next one off screen, widening the layout (1×1 → 1×2 → 2×2)', () => {
    expect(placeInCell('1x1', [], a)).toEqual({ layout: '1x2', cells: [a] });
    expect(placeInCell('1x1', [a], b)).toEqual({ layout: '1x2', cells: [b] });
    expect(placeInCell('1x2', [a], b)).toEqual({ layout: '2x2', cells: [a, b] });
  });

  it('all four full: the last is replaced; a drop names its own viewport', () => {
    expect(placeInCell('2x2', [a, a, a], b)).toEqual({ layout: '2x2', cells: [a, a, b] });
    expect(placeInCell('1x2', [a], b, 1)).toEqual({ layout: '1x2', cells: [b] });
    expect(placeInCell('1x2', [a], b, 3)).toEqual({ layout: '2x2', cells: [a, undefined, b] });
  });
});
