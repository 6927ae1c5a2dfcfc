import { z } from 'zod';

/** How many viewports the viewer shows at once. */
export const CompareLayoutSchema = z.enum(['1x1', '1x2', '2x2']);
export type CompareLayout = z.infer<typeof CompareLayoutSchema>;

/**
 * What opening a study of one modality shows: `layout` when the patient has a prior of the same
 * modality and body part (the current study first, then up to `priors` of them, most recent
 * first); one viewport otherwise.
 */
export const ModalityLayoutSchema = z
  .object({
    layout: CompareLayoutSchema,
    priors: z.number().int().min(0).max(3),
  })
  .strict()
  .refine((rule) => rule.priors < (rule.layout === '2x2' ? 4 : rule.layout === '1x2' ? 2 : 1), {
    message: 'more priors than the layout has viewports beside the current study',
  });
export type ModalityLayout = z.infer<typeof ModalityLayoutSchema>;

/** A DICOM modality code (CT, MR, DX…) or "*" for every modality not listed. */
const ModalityKeySchema = z.string().regex(/^([A-Z]{2,4}|\*)$/, 'a DICOM modality code such as "CT", or "*"');

/**
 * Radiologists compare cross-sectional and projection studies with the last one of the same
 * body part; ultrasound clips, nuclear medicine and screen captures are read alone.
 */
export const DEFAULT_MODALITY_LAYOUTS: Readonly<Record<string, ModalityLayout>> = {
  CT: { layout: '1x2', priors: 1 },
  MR: { layout: '1x2', priors: 1 },
  CR: { layout: '1x2', priors: 1 },
  DX: { layout: '1x2', priors: 1 },
  MG: { layout: '1x2', priors: 1 },
  PT: { layout: '1x2', priors: 1 },
  '*': { layout: '1x1', priors: 0 },
};

/**
 * The image viewer: the default layout per modality. A configured entry overrides its modality
 * only: a site that wants MR read alone writes just `MR`, and keeps the defaults for CT, DX…
 * (to drop a default, configure that modality as `{ layout: 1x1, priors: 0 }`).
 */
export const ImagingConfigSchema = z
  .object({
    defaultLayouts: z
      .record(ModalityKeySchema, ModalityLayoutSchema)
      .default({})
      .transform((configured): Record<string, ModalityLayout> => ({ ...DEFAULT_MODALITY_LAYOUTS, ...configured })),
  })
  .strict();
export type ImagingConfig = z.infer<typeof ImagingConfigSchema>;
