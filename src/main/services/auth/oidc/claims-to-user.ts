/**
 * Turns an identity provider's claims into Huizhen's User. Claim names and the role table come
 * from config because every hospital's IdP spells them differently.
 */
import { z } from 'zod';
import type { OidcClaimNames } from '../../../../shared/config/auth.ts';
import { UserSchema, type Role, type User } from '../../../../shared/domain/user.ts';
import { AuthError } from '../auth-error.ts';

export interface ClaimMapping {
  claims: OidcClaimNames;
  roleMap: Readonly<Record<string, Role>>;
}

const SubjectSchema = z.string().min(1).max(255);
const TextSchema = z.union([z.string(), z.number()]).transform(String);
/** IdPs send lists as JSON arrays, some as one space- or comma-separated string. */
const ListSchema = z.union([z.array(TextSchema), TextSchema.transform((s) => s.split(/[\s,]+/))]);

/** The exact claim name first (URL-style names contain dots), then a dotted path into nested objects. */
export function readClaim(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let node: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function readList(claims: Readonly<Record<string, unknown>>, name: string): string[] {
  const value = readClaim(claims, name);
  if (value === undefined || value === null) return [];
  const parsed = ListSchema.safeParse(value);
  if (!parsed.success) throw new AuthError('invalid-response', `ID token claim "${name}": expected a list of strings`);
  return parsed.data.map((s) => s.trim()).filter((s) => s.length > 0);
}

function readText(claims: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const parsed = TextSchema.safeParse(readClaim(claims, name));
  const text = parsed.success ? parsed.data.trim() : '';
  return text.length > 0 ? text : undefined;
}

export function mapClaimsToUser(claims: Readonly<Record<string, unknown>>, issuer: string, mapping: ClaimMapping): User {
  const sub = SubjectSchema.safeParse(claims['sub']);
  if (!sub.success) throw new AuthError('invalid-response', 'ID token claim "sub": missing or not a string of 1–255 characters');

  const hospitalRoles = readList(claims, mapping.claims.roles);
  const roles = [
    ...new Set(hospitalRoles.flatMap((name) => (Object.hasOwn(mapping.roleMap, name) ? [mapping.roleMap[name] as Role] : []))),
  ];
  if (roles.length === 0) {
    const seen =
      hospitalRoles.length > 0
        ? `the identity provider gave roles ${hospitalRoles.slice(0, 10).join(', ')}, none of them mapped in auth.oidc.roleMap`
        : `the identity provider sent no "${mapping.claims.roles}" claim`;
    throw new AuthError('no-role', `signed in, but with no Huizhen role: ${seen}`);
  }

  // Over-long or empty values are dropped rather than refusing the sign-in over a cosmetic field.
  const wards = [...new Set(readList(claims, mapping.claims.wards).filter((w) => w.length <= 100))];
  const practitionerId = readText(claims, mapping.claims.practitionerId);
  const displayName = readText(claims, mapping.claims.name) ?? readText(claims, 'preferred_username') ?? sub.data;

  const user = UserSchema.safeParse({
    id: `oidc:${new URL(issuer).host}:${sub.data}`,
    displayName: displayName.slice(0, 200),
    roles,
    wards,
    ...(practitionerId !== undefined && practitionerId.length <= 200 ? { practitionerId } : {}),
    authMethod: 'oidc',
  });
  if (!user.success) {
    const issue = user.error.issues[0];
    throw new AuthError('invalid-response', `claims → user: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return user.data;
}
