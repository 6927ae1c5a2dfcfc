import { z } from 'zod';

/**
 * Fetching ahead into the encrypted cache, so records and recent images are readable even if
 * the systems go down before anyone opens them. The ward census decides whom: its patients are
 * fetched as they arrive and purged once discharged past the care window. `patients` adds
 * patients the census does not hold (e.g. a consultant's list).
 */
export const PrefetchConfigSchema = z
  .object({
    /** Extra patients besides the census: each a query as a clinician would type it, matching exactly one patient (an MRN or 身份证 is best). */
    patients: z.array(z.string().trim().min(1).max(200)).max(500).default([]),
    /** Also fetch the images of each patient's most recent studies through the DICOMweb proxy. */
    images: z.boolean().default(true),
    studiesPerPatient: z.number().int().min(0).max(20).default(2),
    /** Repeat this often (0 = only at start). */
    intervalMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .default(60),
  })
  .strict();
export type PrefetchConfig = z.infer<typeof PrefetchConfigSchema>;
