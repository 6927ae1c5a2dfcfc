import { z } from 'zod';

/**
 * The hospital's own mapping tables, merged over the built-in ones (the analytes' local codes in
 * src/main/services/timeline/normalize/analytes.ts, the unit spellings in src/adapters/units/spellings.ts):
 * what `huizhen quality` reports as unmapped, IT adds here instead of waiting for a release. A
 * configured entry wins over a built-in one of the same code or spelling.
 */
export const LabCodeMappingSchema = z
  .object({
    /** The LIS's local code or printed name (OBX-3 code, text or display), matched without regard to case. */
    code: z.string().trim().min(1).max(100),
    /** The LOINC code it means, with its check digit ("2345-7"); checked at load. */
    loinc: z
      .string()
      .trim()
      .regex(/^\d{1,8}-\d$/, 'a LOINC code is digits, a hyphen and the check digit, e.g. "2345-7"'),
  })
  .strict();
export type LabCodeMapping = z.infer<typeof LabCodeMappingSchema>;

export const UnitMappingSchema = z
  .object({
    /** The unit as a source writes it ("毫摩尔每升", "cells/HP"). */
    spelling: z.string().trim().min(1).max(40),
    /** The UCUM code it means ("mmol/L"); checked against UCUM at load. */
    ucum: z.string().trim().min(1).max(40),
  })
  .strict();
export type UnitMapping = z.infer<typeof UnitMappingSchema>;

function firstRepeat(keys: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return undefined;
}

export const MappingsConfigSchema = z
  .object({
    labCodes: z.array(LabCodeMappingSchema).max(10_000).default([]),
    units: z.array(UnitMappingSchema).max(10_000).default([]),
  })
  .strict()
  .superRefine((m, ctx) => {
    // One code, one meaning: a code listed twice would map by whichever came last.
    const code = firstRepeat(m.labCodes.map((e) => e.code.toUpperCase()));
    if (code !== undefined) ctx.addIssue({ code: 'custom', path: ['labCodes'], message: `the local code "${code}" is listed twice` });
    const spelling = firstRepeat(m.units.map((e) => e.spelling));
    if (spelling !== undefined)
      ctx.addIssue({ code: 'custom', path: ['units'], message: `the unit spelling "${spelling}" is listed twice` });
  });
export type MappingsConfig = z.infer<typeof MappingsConfigSchema>;
