import { z } from 'zod';

/**
 * How much of an identifying value stays readable when the workstation masks it (per role, or
 * in privacy mode for screen sharing and teaching), and how de-identified exports treat dates.
 * The defaults follow common Chinese hospital practice: 身份证 first 6 (region) + last 4.
 */
export const PrivacyConfigSchema = z
  .object({
    /** The character that replaces hidden characters. */
    maskChar: z.string().length(1).default('*'),
    /** 身份证 / other long identifiers: characters kept at the start (the 6-digit region code). */
    idKeepStart: z.number().int().min(0).max(10).default(6),
    /** 身份证 / other long identifiers: characters kept at the end. */
    idKeepEnd: z.number().int().min(0).max(6).default(4),
    /** Phone numbers: digits kept at the end. */
    phoneKeepEnd: z.number().int().min(0).max(6).default(4),
    /**
     * Chinese names: keep the last character of a given name of two or more characters
     * (张三丰 → 张*丰), the form Chinese hospitals print on public screens, so a patient still
     * recognises their own name. false hides the whole given name (张**).
     */
    nameKeepGivenLast: z.boolean().default(true),
    /** Birth dates on masked records: the year only, or hidden entirely. */
    birthDate: z.enum(['year', 'hide']).default('year'),
    /** De-identified exports (FHIR timeline and DICOM study). */
    export: z
      .object({
        /** Shift every date of one export by one random number of days (±maxDays); off keeps dates. */
        dateShift: z.boolean().default(false),
        dateShiftMaxDays: z.number().int().min(1).max(3650).default(365),
        /** Pseudonymous Patient.birthDate: the year only, or removed. */
        birthDate: z.enum(['year', 'remove']).default('year'),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type PrivacyConfig = z.infer<typeof PrivacyConfigSchema>;

export const DEFAULT_PRIVACY_CONFIG: PrivacyConfig = PrivacyConfigSchema.parse({});
