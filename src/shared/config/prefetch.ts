import { z } from 'zod';

/**
 * Patients to fetch ahead into the encrypted cache (e.g. the ward's list), so their records
 * and recent images are readable even if the systems go down before anyone opens them.
 */
export const PrefetchConfigSchema = z
  .object({
    /** Each entry is a query as a clinician would type it; it must match exactly one patient (an MRN or 身份证 is best). */
    patients: z.array(z.string().trim().min(1).max(200)).max(500),
    /** Also fetch the images of each patient's most recent studies through the DICOMweb proxy. */
    images: z.boolean().default(true),
    studiesPerPatient: z.number().int().min(0).max(20).default(2),
    /** Repeat this often (0 = only at start). */
    intervalMinutes: z.number().int().min(0).max(24 * 60).default(60),
  })
  .strict();
export type PrefetchConfig = z.infer<typeof PrefetchConfigSchema>;
