import { z } from 'zod';
import { RoleSchema } from '../domain/user.ts';
import { CallLimitsConfigSchema } from './call-limits.ts';

/** SMART-style scope for patient data: `patient/<ResourceType|*>.<c r u d s>`. */
export const PatientScopeSchema = z
  .string()
  .regex(/^patient\/([A-Z][A-Za-z]+|\*)\.[cruds]+$/, 'a scope looks like "patient/Observation.rs"');

/** Who may read which patient: the hospital's rules, enforced in main before data reaches the screen. */
export const AccessConfigSchema = z
  .object({
    /**
     * A finished stay keeps its ward's (and attending's) access this many days after discharge;
     * stays in progress always count.
     */
    careWindowDays: z.number().int().positive().max(36_500).default(30),
    /** How long a break-the-glass grant lasts. */
    breakGlassMinutes: z
      .number()
      .int()
      .positive()
      .max(24 * 60)
      .default(30),
    /** Overrides of the built-in scopes per role (see src/main/services/access/role-policy.ts). */
    roleScopes: z.partialRecord(RoleSchema, z.array(PatientScopeSchema)).optional(),
    /** Per signed-in user, how many calls that reach the hospital's systems (search, open, live worklist…) they may make. */
    callLimits: CallLimitsConfigSchema.prefault({}),
  })
  .strict();
export type AccessConfig = z.infer<typeof AccessConfigSchema>;
