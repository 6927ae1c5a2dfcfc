import { z } from 'zod';
import { RoleSchema, type Role } from '../domain/user.ts';

/** Hosts that never leave this machine: plain http to them is acceptable (RFC 8252 §8.3). */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * `scrypt$N$r$p$salt$hash` with salt and hash in base64url. The cost floor keeps a config
 * file from quietly carrying a hash that a GPU could brute-force (OWASP: N=2^17, r=8, p=1).
 */
export const PASSWORD_HASH_PATTERN = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,128})\$([A-Za-z0-9_-]{32,256})$/;
export const MIN_SCRYPT_N = 2 ** 14;

export const PasswordHashSchema = z
  .string()
  .regex(PASSWORD_HASH_PATTERN, 'expected scrypt$N$r$p$salt$hash as printed by `hashPassword` (salt and hash in base64url)')
  .superRefine((value, ctx) => {
    const [, n = '0', r = '0', p = '0'] = PASSWORD_HASH_PATTERN.exec(value) ?? [];
    const cost = Number(n);
    if (cost < MIN_SCRYPT_N || (cost & (cost - 1)) !== 0)
      ctx.addIssue({ code: 'custom', message: `N=${n}: must be a power of two of at least ${MIN_SCRYPT_N}` });
    if (Number(r) < 1 || Number(r) > 32) ctx.addIssue({ code: 'custom', message: `r=${r}: must be 1..32` });
    if (Number(p) < 1 || Number(p) > 16) ctx.addIssue({ code: 'custom', message: `p=${p}: must be 1..16` });
  });

/** Where the identity provider puts each attribute; a dotted path reaches nested claims (Keycloak's `realm_access.roles`). */
export const OidcClaimNamesSchema = z
  .object({
    roles: z.string().min(1).max(200).default('huizhen_roles'),
    wards: z.string().min(1).max(200).default('huizhen_wards'),
    practitionerId: z.string().min(1).max(200).default('practitioner_id'),
    /** Display name; `preferred_username` is the fallback when this claim is absent. */
    name: z.string().min(1).max(200).default('name'),
  })
  .strict();
export type OidcClaimNames = z.infer<typeof OidcClaimNamesSchema>;

/** Identity by default, so an IdP that already speaks Huizhen's role names needs no table. */
const IDENTITY_ROLE_MAP: Record<string, Role> = Object.fromEntries(RoleSchema.options.map((role) => [role, role]));

export const OidcConfigSchema = z
  .object({
    issuer: z
      .url({ protocol: /^https?$/, message: 'must be the issuer URL, e.g. https://sso.example-hospital.cn/realms/clinic' })
      .refine((url) => !URL.canParse(url) || new URL(url).protocol === 'https:' || LOOPBACK_HOSTS.has(new URL(url).hostname), {
        message: 'must use https:// (plain http only for an identity provider on this machine, e.g. the demo)',
      }),
    clientId: z.string().min(1).max(200),
    /** Only for an IdP that insists on a confidential client; a native app should be public (none + PKCE). */
    clientSecret: z.string().min(1).max(500).optional(),
    scopes: z
      .string()
      .min(1)
      .max(1000)
      .default('openid profile')
      .refine((s) => s.split(/\s+/).includes('openid'), { message: 'must include "openid"' }),
    /** Loopback port of the redirect (RFC 8252 §7.3); 0 picks a free one per sign-in. Fix it only for an IdP that cannot accept any port. */
    redirectPort: z.number().int().min(0).max(65_535).default(0),
    claims: OidcClaimNamesSchema.prefault({}),
    /** The hospital's role names → Huizhen roles; roles not in the table are ignored. */
    roleMap: z.record(z.string().min(1).max(200), RoleSchema).default(IDENTITY_ROLE_MAP),
    /**
     * Ask the IdP to authenticate afresh (`prompt=login`) on every sign-in: on a shared ward
     * workstation the system browser may still hold the previous user's IdP session.
     */
    promptLogin: z.boolean().default(true),
    /** How long the browser sign-in may take before it is abandoned. */
    signInTimeoutMinutes: z.number().min(0.1).max(60).default(5),
  })
  .strict();
export type OidcConfig = z.infer<typeof OidcConfigSchema>;
export type OidcConfigInput = z.input<typeof OidcConfigSchema>;

export const LocalAccountSchema = z
  .object({
    username: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[\p{L}\p{N}._@-]+$/u, 'letters, digits and . _ @ - only'),
    displayName: z.string().min(1).max(200),
    passwordHash: PasswordHashSchema,
    roles: z.array(RoleSchema).min(1),
    wards: z.array(z.string().min(1).max(100)).default([]),
    practitionerId: z.string().min(1).max(200).optional(),
  })
  .strict();
export type LocalAccount = z.infer<typeof LocalAccountSchema>;

export const AuthConfigSchema = z
  .object({
    oidc: OidcConfigSchema.optional(),
    localAccounts: z
      .array(LocalAccountSchema)
      .max(10_000)
      .optional()
      .refine((accounts) => !accounts || new Set(accounts.map((a) => normalizeUsername(a.username))).size === accounts.length, {
        message: 'usernames must be unique (compared case-insensitively)',
      }),
    /** Lock the screen after this much inactivity. */
    idleLockMinutes: z.number().int().min(1).max(240).default(10),
    /** A session ends after this long whatever happens (and earlier when the ID token expires). */
    sessionMaxHours: z.number().min(0.5).max(24).default(12),
  })
  .strict();
export type AuthConfig = z.infer<typeof AuthConfigSchema>;
export type AuthConfigInput = z.input<typeof AuthConfigSchema>;

/** One spelling per person: NFKC folds full-width input from Chinese IMEs, case is ignored. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}
