import { describe, expect, it } from 'vitest';
import { AuthConfigSchema, OidcConfigSchema } from '../../../../src/shared/config/auth.ts';
import { demoLocalAccounts } from '../../../../src/demo-hospital/identity-provider/demo-users.ts';

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string =>
  (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');

describe('AuthConfigSchema', () => {
  it('fills the defaults', () => {
    expect(AuthConfigSchema.parse({})).toEqual({ idleLockMinutes: 10, sessionMaxHours: 12 });
    const oidc = OidcConfigSchema.parse({ issuer: 'https://sso.example-hospital.cn', clientId: 'huizhen' });
    expect(oidc).toMatchObject({
      scopes: 'openid profile',
      redirectPort: 0,
      promptLogin: true,
      signInTimeoutMinutes: 5,
      claims: { roles: 'huizhen_roles', wards: 'huizhen_wards', practitionerId: 'practitioner_id', name: 'name' },
      roleMap: { 'ward-doctor': 'ward-doctor', radiologist: 'radiologist', nurse: 'nurse', administrator: 'administrator' },
    });
  });

  it('accepts the demo local accounts', () => {
    expect(AuthConfigSchema.safeParse({ localAccounts: demoLocalAccounts() }).success).toBe(true);
  });

  it.each([
    [
      'an http issuer off this machine',
      { oidc: { issuer: 'http://sso.example-hospital.cn', clientId: 'x' } },
      'oidc.issuer: must use https://',
    ],
    ['a non-URL issuer', { oidc: { issuer: 'sso', clientId: 'x' } }, 'oidc.issuer'],
    [
      'scopes without openid',
      { oidc: { issuer: 'https://sso.example-hospital.cn', clientId: 'x', scopes: 'profile' } },
      'must include "openid"',
    ],
    [
      'a role table naming an unknown Huizhen role',
      { oidc: { issuer: 'https://sso.example-hospital.cn', clientId: 'x', roleMap: { 医生: 'doctor' } } },
      'oidc.roleMap.医生',
    ],
    ['an unknown key (typo)', { oidc: { issuer: 'https://sso.example-hospital.cn', clientId: 'x', clientID: 'y' } }, 'clientID'],
    [
      'a redirect port out of range',
      { oidc: { issuer: 'https://sso.example-hospital.cn', clientId: 'x', redirectPort: 70000 } },
      'oidc.redirectPort',
    ],
    [
      'a plain-text password',
      { localAccounts: [{ username: 'a', displayName: 'A', passwordHash: 'secret', roles: ['nurse'] }] },
      'localAccounts.0.passwordHash',
    ],
    [
      'an account without roles',
      { localAccounts: [{ username: 'a', displayName: 'A', passwordHash: demoLocalAccounts()[0]!.passwordHash, roles: [] }] },
      'localAccounts.0.roles',
    ],
    ['a username with spaces', { localAccounts: [{ ...demoLocalAccounts()[0]!, username: 'li yi' }] }, 'localAccounts.0.username'],
    [
      'duplicate usernames differing in case',
      { localAccounts: [demoLocalAccounts()[0]!, { ...demoLocalAccounts()[0]!, username: 'DOCTOR' }] },
      'usernames must be unique',
    ],
    ['a zero idle lock', { idleLockMinutes: 0 }, 'idleLockMinutes'],
  ])('rejects %s', (_label, input, expected) => {
    const result = AuthConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(issues(result)).toContain(expected);
  });

  it('allows plain http only for an identity provider on this machine', () => {
    for (const issuer of ['http://127.0.0.1:8080', 'http://localhost:8080/realms/demo', 'http://[::1]:9000']) {
      expect(OidcConfigSchema.safeParse({ issuer, clientId: 'x' }).success).toBe(true);
    }
  });
});
