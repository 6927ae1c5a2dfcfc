import { z } from 'zod';

/**
 * One user's allowance for one kind of call: a token bucket of `burst` calls, refilled at
 * `perMinute`. Identical calls made while one is under way share it and cost nothing.
 */
export const CallAllowanceSchema = z
  .object({
    burst: z.number().int().min(1).max(10_000),
    perMinute: z.number().positive().max(10_000),
  })
  .strict();
export type CallAllowance = z.infer<typeof CallAllowanceSchema>;

/** The kinds of call that reach the hospital's systems, each limited on its own. */
export const CALL_KINDS = ['search', 'open', 'worklist', 'source-check', 'study-export'] as const;
export const CallKindSchema = z.enum(CALL_KINDS);
export type CallKind = z.infer<typeof CallKindSchema>;

/**
 * Far above what a ward doctor's day asks (an e2e session of searching, opening 20 patients and
 * going back to the worklist between them peaks well under a third of each burst): the limit is
 * for a script or a stuck tab, which would otherwise make the workstation a load amplifier on
 * systems the whole hospital shares.
 */
export const DEFAULT_CALL_LIMITS: Readonly<Record<CallKind, CallAllowance>> = {
  search: { burst: 30, perMinute: 30 },
  open: { burst: 60, perMinute: 40 },
  worklist: { burst: 20, perMinute: 12 },
  'source-check': { burst: 5, perMinute: 2 },
  'study-export': { burst: 10, perMinute: 5 },
};

/** Per signed-in user, per kind; a kind not given keeps its default. */
export const CallLimitsConfigSchema = z
  .object({
    search: CallAllowanceSchema.default(DEFAULT_CALL_LIMITS.search),
    open: CallAllowanceSchema.default(DEFAULT_CALL_LIMITS.open),
    worklist: CallAllowanceSchema.default(DEFAULT_CALL_LIMITS.worklist),
    'source-check': CallAllowanceSchema.default(DEFAULT_CALL_LIMITS['source-check']),
    'study-export': CallAllowanceSchema.default(DEFAULT_CALL_LIMITS['study-export']),
  })
  .strict() satisfies z.ZodType<Record<CallKind, CallAllowance>>;
export type CallLimitsConfig = z.infer<typeof CallLimitsConfigSchema>;
