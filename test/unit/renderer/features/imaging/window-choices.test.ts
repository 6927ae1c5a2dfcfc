import { describe, expect, it } from 'vitest';
import { currentWindow, ownWindow, windowChoices } from '../../../../../src/renderer/features/imaging/window-choices.ts';

describe('windowChoices', () => {
  it('offers the Hounsfield presets for CT, and the image’s own window only when no preset is it', () => {
    expect(windowChoices('CT', { width: 400, center: 40 }).map((c) => c.name)).toEqual(['soft-tissue', 'lung', 'bone', 'brain', 'liver']);
    expect(windowChoices('CT', { width: 350, center: 50 }).map((c) => c.name)).toEqual([
      'soft-tissue',
      'lung',
      'bone',
      'brain',
      'liver',
      'image',
    ]);
  });
  it('offers no Hounsfield preset for an MR or a radiograph: only the image’s own window', () => {
    expect(windowChoices('MR', { width: 1200, center: 600 })).toEqual([{ name: 'image', width: 1200, center: 600 }]);
    expect(windowChoices('DX', undefined)).toEqual([]);
    expect(windowChoices(undefined, { width: 0, center: 0 })).toEqual([]);
  });
});

describe('currentWindow', () => {
  const ct = windowChoices('CT', { width: 350, center: 50 });
  it('names the entry the readout is, within the readout’s rounding', () => {
    expect(currentWindow(ct, 1500, -600)).toBe('lung');
    expect(currentWindow(ct, 400.2, 39.8)).toBe('soft-tissue');
    expect(currentWindow(ct, 350, 50)).toBe('image');
  });
  it('says custom for any other window, and nothing before the first image', () => {
    expect(currentWindow(ct, 1499, -600)).toBe('custom');
    expect(currentWindow([], 400, 40)).toBe('custom');
    expect(currentWindow(ct, undefined, undefined)).toBeUndefined();
  });
});

describe('ownWindow', () => {
  it('reads the first Window Center/Width pair of a DICOM JSON dataset, or nothing', () => {
    const dataset = { '00281050': { vr: 'DS', Value: ['40', '-600'] }, '00281051': { vr: 'DS', Value: [400, 1500] } };
    expect(ownWindow(dataset)).toEqual({ width: 400, center: 40 });
    expect(ownWindow({ '00281050': { vr: 'DS', Value: [40] } })).toBeUndefined();
    expect(ownWindow(undefined)).toBeUndefined();
  });
});
