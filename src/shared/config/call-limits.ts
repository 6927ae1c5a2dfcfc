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
 * Measured in test/e2e/call-limits.spec.ts: a ward doctor's stretch of opening 20 patients from
 * the ward list (back to it between them) and typing 8 searches made 28 searches (each open
 * from the list also asks for the person's other records), 21 opens and 21 live worklist reads.
 * Done at a fast doctor's pace (3 minutes), each kind's burst plus 3 minutes of refill is at
 * least three times that. The limit is for a script or a stuck tab, which would otherwise make
 * the workstation a load amplifier on systems the whole hospital shares (one live worklist read
 * asks the demo hospital 42 times).
 */
export const DEFAULT_CALL_LIMITS: Readonly<Record<CallKind, CallAllowance>> = {
  search: { burst: 30, perMinute: 30 },
  open: { burst: 60, perMinute: 40 },
  worklist: { burst: 30, perMinute: 12 },
  'source-check': { burst: 5, perMinute: 2 },
  'study-export': { burst: 10, perMinute: 5 },
};

/** The pace test/e2e/call-limits.spec.ts holds the defaults to: a fast doctor's stretch of 20 patients. */
export const FAST_STRETCH_MINUTES = 3;

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
