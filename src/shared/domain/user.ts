import { z } from 'zod';

/** The clinical roles a hospital assigns; each maps to SMART-style scopes in main's access policy. */
export const RoleSchema = z.enum(['ward-doctor', 'radiologist', 'nurse', 'administrator']);
export type Role = z.infer<typeof RoleSchema>;

/**
 * Who is signed in, as every service sees them. Wards and the practitioner id are the attributes
 * the access rules use (department/ward, treating relationship); they come from the identity
 * provider's claims or from the local account.
 */
export const UserSchema = z.object({
  /** Stable id: the OIDC `sub` (prefixed with the issuer's host) or `local:<username>`. */
  id: z.string().min(1).max(300),
  displayName: z.string().min(1).max(200),
  roles: z.array(RoleSchema).min(1),
  /** Ward/department codes the user works on, e.g. "CARD-1" (心内科一病区). */
  wards: z.array(z.string().min(1).max(100)).default([]),
  /** The user's practitioner id in the hospital systems (attending doctor on encounters). */
  practitionerId: z.string().min(1).max(200).optional(),
  authMethod: z.enum(['oidc', 'local']),
});
export type User = z.infer<typeof UserSchema>;
