import { z } from 'zod';
import { DEFAULT_CRITICAL_LIMITS } from './critical-limits.ts';

export { CRITICAL_LIMITS_SOURCE, DEFAULT_CRITICAL_LIMITS } from './critical-limits.ts';

/** A result at or beyond `low`/`high` (in `unit`, the canonical unit of `loinc`) is a critical value. */
export const CriticalLimitSchema = z
  .object({
    loinc: z.string().regex(/^\d{1,7}-\d$/, 'a LOINC code such as 2823-3'),
    unit: z.string().min(1).max(40),
    low: z.number().finite().optional(),
    high: z.number().finite().optional(),
  })
  .strict()
  .refine((l) => l.low !== undefined || l.high !== undefined, 'give "low", "high" or both')
  .refine((l) => l.low === undefined || l.high === undefined || l.low < l.high, '"low" must be below "high"');
export type CriticalLimit = z.infer<typeof CriticalLimitSchema>;

const FhirPathSchema = z.string().trim().min(1).max(2_000);

/**
 * One condition of a risk rule: the records it looks at (by resource type) and a FHIRPath
 * expression each must satisfy (`match`). With `test`, only the newest matching record counts
 * and it must also satisfy `test` ("the latest potassium is above 5.5"); without, any match does.
 */
export const RiskConditionSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'lower-case letters, digits and "-"'),
    resourceTypes: z
      .array(z.string().regex(/^[A-Z][A-Za-z]{1,63}$/))
      .min(1)
      .max(10),
    match: FhirPathSchema,
    test: FhirPathSchema.optional(),
  })
  .strict();
export type RiskCondition = z.infer<typeof RiskConditionSchema>;

/** A rule fires when every condition finds a record. Hospital rules carry their own words. */
export const RiskRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'lower-case letters, digits and "-"'),
    severity: z.enum(['high', 'moderate']).default('high'),
    /** What the alert says, in each language the workstation speaks. */
    label: z.object({ 'zh-CN': z.string().min(1).max(300), en: z.string().min(1).max(300) }).strict(),
    conditions: z.array(RiskConditionSchema).min(1).max(5),
  })
  .strict();
export type RiskRule = z.infer<typeof RiskRuleSchema>;
export type RiskRuleInput = z.input<typeof RiskRuleSchema>;

/**
 * Critical values (危急值) and medication risk rules (用药风险). The FHIRPath of every rule is
 * compiled when the configuration loads (main), so a rule that does not compile stops the start
 * with its id rather than failing silently on a patient.
 */
export const ClinicalAlertsConfigSchema = z
  .object({
    /** Per canonical LOINC; the default list is cited in src/shared/config/critical-limits.ts and the README. */
    criticalLimits: z
      .array(CriticalLimitSchema)
      .max(500)
      .default(() => DEFAULT_CRITICAL_LIMITS.map((l) => ({ ...l })))
      .refine((list) => new Set(list.map((l) => l.loinc)).size === list.length, 'one limit per LOINC code'),
    /** The rules shipped with Huizhen (README table); false leaves only the hospital's own. */
    builtInRules: z.boolean().default(true),
    rules: z.array(RiskRuleSchema).max(200).default([]),
    /** Wall-clock budget for evaluating every rule over one record; past it, the rest are reported unevaluated. */
    evaluationBudgetMs: z.number().int().min(10).max(10_000).default(500),
  })
  .strict();
export type ClinicalAlertsConfig = z.infer<typeof ClinicalAlertsConfigSchema>;
