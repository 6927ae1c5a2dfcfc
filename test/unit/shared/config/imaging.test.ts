import { describe, expect, it } from 'vitest';
import { ImagingConfigSchema } from '../../../../src/shared/config/imaging.ts';
import { HuizhenConfigSchema } from '../../../../src/shared/config/schema.ts';

describe('imaging configuration: the layout table is validated with defaults', () => {
  it('defaults when absent: CT and MR compare with one prior, other modalities alone', () => {
    const config = ImagingConfigSchema.parse({});
    expect(config.defaultLayouts['CT']).toEqual({ layout: '1x2', priors: 1 });
    expect(config.defaultLayouts['*']).toEqual({ layout: '1x1', priors: 0 });
  });

  it('a configuration without an imaging section gets the defaults', () => {
    const config = HuizhenConfigSchema.parse({
      sources: [{ kind: 'dicomweb', id: 'pacs', name: 'PACS', baseUrl: 'http://127.0.0.1:8042/dicom-web' }],
    });
    expect(config.imaging.defaultLayouts['MR']).toEqual({ layout: '1x2', priors: 1 });
  });

  it('rejects unknown layouts, modality keys that are not DICOM codes, and more priors than viewports', () => {
    expect(ImagingConfigSchema.safeParse({ defaultLayouts: { CT: { layout: '3x3', priors: 1 } } }).success).toBe(false);
    expect(ImagingConfigSchema.safeParse({ defaultLayouts: { chest: { layout: '1x2', priors: 1 } } }).success).toBe(false);
    expect(ImagingConfigSchema.safeParse({ defaultLayouts: { CT: { layout: '1x2', priors: 2 } } }).success).toBe(false);
    expect(ImagingConfigSchema.safeParse({ defaultLayouts: { CT: { layout: '1x2', priors: 1, extra: true } } }).success).toBe(false);
    expect(ImagingConfigSchema.safeParse({ layouts: {} }).success).toBe(false);
  });

  it('a configured entry overrides its modality only: the defaults stay for the others', () => {
    const config = ImagingConfigSchema.parse({ defaultLayouts: { MR: { layout: '1x1', priors: 0 }, US: { layout: '1x2', priors: 1 } } });
    expect(config.defaultLayouts['MR']).toEqual({ layout: '1x1', priors: 0 });
    expect(config.defaultLayouts['US']).toEqual({ layout: '1x2', priors: 1 });
    expect(config.defaultLayouts['CT']).toEqual({ layout: '1x2', priors: 1 });
    expect(config.defaultLayouts['*']).toEqual({ layout: '1x1', priors: 0 });
  });

  it('a configured "*" replaces the fallback for unlisted modalities, not the listed defaults', () => {
    const config = ImagingConfigSchema.parse({ defaultLayouts: { '*': { layout: '1x2', priors: 1 } } });
    expect(config.defaultLayouts['*']).toEqual({ layout: '1x2', priors: 1 });
    expect(config.defaultLayouts['DX']).toEqual({ layout: '1x2', priors: 1 });
  });
});
