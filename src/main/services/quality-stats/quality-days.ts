import { z } from 'zod';

/** Days of findings kept; older days are overwritten in place. */
export const RETENTION_DAYS = 30;

const count = z.number().int().nonnegative();

/**
 * One patient's record as last assessed that day: findings per source and kind, unmapped codes
 * as [source, system, code, count], and a few samples as [source, kind, resource type, field path].
 * Keyed by a masked reference, so a record opened ten times a day counts once.
 */
const ContributionSchema = z.object({
  counts: z.record(z.string(), z.record(z.string(), count)),
  unmapped: z.array(z.tuple([z.string(), z.string(), z.string(), count])),
  samples: z.array(z.tuple([z.string(), z.string(), z.string(), z.string()])),
});
export type Contribution = z.infer<typeof ContributionSchema>;

const DaySchema = z.object({ day: z.number().int(), patients: z.record(z.string(), ContributionSchema) });
export type QualityDay = z.infer<typeof DaySchema>;

/** A stored day checked: counts, codes, field paths and masked references only. */
export function checkQualityDay(json: unknown): { value: QualityDay } | { problem: string } {
  const parsed = DaySchema.safeParse(json);
  return parsed.success ? { value: parsed.data } : { problem: parsed.error.issues[0]?.message ?? 'invalid' };
}
