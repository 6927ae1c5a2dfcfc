import { z } from 'zod';
import { RoleSchema, UserSchema } from '../domain/user.ts';

/** What a role may do besides reading patient data; the screen hides what the user may not do. */
export const CapabilitySchema = z.enum(['search', 'open', 'link', 'export', 'break-glass', 'sources', 'check-sources', 'admin-console']);
export type Capability = z.infer<typeof CapabilitySchema>;

/**
 * The sign-in state as the renderer sees it. Main owns it (idle lock, timeouts); the renderer
 * only shows it: signed-out → sign-in screen, locked → lock screen (nothing else rendered).
 */
/**
 * Why a sign-in with the hospital's identity provider failed: it refused (or the user cancelled
 * there), the browser sign-in was not finished in time, its answer failed validation, the user
 * has no Huizhen role, it could not be reached, or the loopback redirect could not be opened.
 */
export const OidcFailureReasonSchema = z.enum([
  'denied',
  'timeout',
  'invalid-response',
  'no-role',
  'idp-unreachable',
  'loopback-unavailable',
  'other',
]);
export type OidcFailureReason = z.infer<typeof OidcFailureReasonSchema>;

export const SessionViewSchema = z.object({
  state: z.enum(['signed-out', 'active', 'locked']),
  /** Present when active or locked (the lock screen says whose session it is). */
  user: UserSchema.optional(),
  /** Masks names, 身份证, phone and address everywhere, for screen sharing and teaching. */
  privacyMode: z.boolean(),
  /** The 身份证 is masked for this user's role even outside privacy mode (nurses, radiologists: name + MRN stay). */
  rolesMaskIdentifiers: z.boolean(),
  /** What the active user's roles allow (empty when signed out); main enforces it regardless. */
  capabilities: z.array(CapabilitySchema),
  idleLockMinutes: z.number().positive(),
  /** When the session ends regardless of activity (ISO instant). */
  expiresAt: z.string().optional(),
  /** Which sign-in methods this workstation offers. */
  methods: z.object({ local: z.boolean(), oidc: z.boolean() }),
  /** Why the last sign-in with the identity provider failed, and when (each failure its own), for the renderer to word. */
  oidcFailure: z.object({ reason: OidcFailureReasonSchema, at: z.string() }).optional(),
  /** Why the last session ended, when it did on its own (idle lock, expiry, sign-in failure). */
  notice: z.enum(['idle-locked', 'expired', 'signed-out']).optional(),
});
export type SessionView = z.infer<typeof SessionViewSchema>;

/** On what grounds this user may read this patient; shown in the banner. */
export const AccessBasisSchema = z.enum(['ward', 'treating', 'imaging', 'break-glass']);
export type AccessBasis = z.infer<typeof AccessBasisSchema>;

/**
 * How much of a patient's identity the screen may show: everything; the 身份证 masked (nurses and
 * radiologists, who identify patients by name + MRN); or names, identifiers, phone and address
 * masked (privacy mode).
 */
export const MaskLevelSchema = z.enum(['none', 'national-id', 'full']);
export type MaskLevel = z.infer<typeof MaskLevelSchema>;

export const PatientAccessSchema = z.object({
  basis: AccessBasisSchema,
  /** Break-the-glass: until when, and the reason given. */
  until: z.string().optional(),
  reason: z.string().optional(),
  /** Resource types this role may not see, withheld from the timeline (e.g. notes for a nurse). */
  withheldTypes: z.array(z.string()),
  /** Of those, the types of withheld entries that name an imaging study (its report): the imaging panel says reports are not listed. */
  withheldStudyReportTypes: z.array(z.string()).optional(),
  masked: z.boolean(),
  /** The level the entries (and candidate) beside it were masked at: a reply older than a privacy switch is recognised by it. */
  maskLevel: MaskLevelSchema,
});
export type PatientAccess = z.infer<typeof PatientAccessSchema>;

export { RoleSchema };

/** At least this long, so "紧急" alone is not a reason an auditor can work with. */
export const BREAK_GLASS_REASON_MIN = 10;
