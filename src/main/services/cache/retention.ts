import { z } from 'zod';

/** How long cached patients stay, configurable per hospital policy. */
export const RetentionPolicySchema = z
  .object({
    /** Purge a patient this many days after it was last opened; absent = keep until purged. */
    maxIdleDays: z.number().positive().optional(),
    /** Purge every cached patient when the user logs out (shared ward workstations). */
    purgeOnLogout: z.boolean().default(false),
  })
  .strict();
export type RetentionPolicy = z.input<typeof RetentionPolicySchema>;

const DAY_MS = 86_400_000;

/** The last-access instant (ms) before which a patient is expired, or undefined if none expire. */
export function expiryCutoffMs(policy: z.output<typeof RetentionPolicySchema>, now: Date): number | undefined {
  return policy.maxIdleDays === undefined ? undefined : now.getTime() - policy.maxIdleDays * DAY_MS;
}
