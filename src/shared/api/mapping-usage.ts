import { z } from 'zod';

const OriginSchema = z.enum(['built-in', 'configured']);

/**
 * The mapping tables as this workstation uses them, for the administrator: every entry, whether
 * it is built in or the hospital's (`mappings` in the configuration), and how many times it
 * mapped what a source sent since the workstation started (a record rebuilt into several
 * timelines counts each time). Codes only, no patient data.
 */
export const MappingUsageSchema = z.object({
  labCodes: z.array(z.object({ code: z.string(), loinc: z.string(), origin: OriginSchema, uses: z.number().int().nonnegative() })),
  units: z.array(z.object({ spelling: z.string(), ucum: z.string(), origin: OriginSchema, uses: z.number().int().nonnegative() })),
});
export type MappingUsage = z.infer<typeof MappingUsageSchema>;
