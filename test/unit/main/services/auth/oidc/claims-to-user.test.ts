import { describe, expect, it } from 'vitest';
import { mapClaimsToUser, readClaim } from '../../../../../../src/main/services/auth/oidc/claims-to-user.ts';
import { OidcConfigSchema } from '../../../../../../src/shared/config/auth.ts';
import { authErrorOf } from '../auth-fixtures.ts';

const ISSUER = 'https://sso.example-hospital.cn/realms/clinic';
const defaults = OidcConfigSchema.parse({ issuer: ISSUER, clientId: 'huizhen' });

describe('mapClaimsToUser', () => {
  it('maps the default claims', () => {
    const user = mapClaimsToUser(
      { sub: 'u1', name: '李医生', huizhen_roles: ['ward-doctor'], huizhen_wards: ['CARD-1'], practitioner_id: 'D1001' },
      ISSUER,
      defaults,
    );
    expect(user).toEqual({
      id: 'oidc:sso.example-hospital.cn:u1',
      displayName: '李医生',
      roles: ['ward-doctor'],
      wards: ['CARD-1'],
      practitionerId: 'D1001',
      authMethod: 'oidc',
    });
  });

  it('maps hospital role names through the table and ignores unknown ones', () => {
    const config = OidcConfigSchema.parse({
      issuer: ISSUER,
      clientId: 'x',
      roleMap: { 主治医师: 'ward-doctor', 影像科医师: 'radiologist', 护士: 'nurse' },
    });
    const user = mapClaimsToUser({ sub: 'u1', huizhen_roles: ['主治医师', '带教老师', '影像科医师', '主治医师'] }, ISSUER, config);
    expect(user.roles).toEqual(['ward-doctor', 'radiologist']);
  });

  it('refuses with no-role when the roles claim is missing, empty, or holds only unknown roles', () => {
    for (const claims of [
      { sub: 'u1' },
      { sub: 'u1', huizhen_roles: [] },
      { sub: 'u1', huizhen_roles: ['visitor'] },
      { sub: 'u1', huizhen_roles: null },
    ]) {
      expect(authErrorOf(() => mapClaimsToUser(claims, ISSUER, defaults)).code).toBe('no-role');
    }
    expect(authErrorOf(() => mapClaimsToUser({ sub: 'u1', huizhen_roles: ['visitor'] }, ISSUER, defaults)).message).toContain('visitor');
  });

  it('does not map inherited property names such as "constructor" or "__proto__"', () => {
    expect(
      authErrorOf(() => mapClaimsToUser({ sub: 'u1', huizhen_roles: ['constructor', '__proto__', 'toString'] }, ISSUER, defaults)).code,
    ).toBe('no-role');
  });

  it('accepts roles and wards as one space- or comma-separated string', () => {
    const user = mapClaimsToUser({ sub: 'u1', huizhen_roles: 'nurse, radiologist', huizhen_wards: 'CARD-1 CARD-2' }, ISSUER, defaults);
    expect(user.roles).toEqual(['nurse', 'radiologist']);
    expect(user.wards).toEqual(['CARD-1', 'CARD-2']);
  });

  it('reads configured claim names, including dotted paths into nested claims', () => {
    const config = OidcConfigSchema.parse({
      issuer: ISSUER,
      clientId: 'x',
      claims: { roles: 'realm_access.roles', wards: 'https://hospital.cn/wards', practitionerId: 'employee_no', name: 'display' },
    });
    const user = mapClaimsToUser(
      { sub: 'u1', realm_access: { roles: ['nurse'] }, 'https://hospital.cn/wards': ['ICU'], employee_no: 42, display: '赵护士' },
      ISSUER,
      config,
    );
    expect(user).toMatchObject({ roles: ['nurse'], wards: ['ICU'], practitionerId: '42', displayName: '赵护士' });
  });

  it('falls back from name to preferred_username to sub for the display name', () => {
    expect(mapClaimsToUser({ sub: 'u1', preferred_username: 'zhao', huizhen_roles: ['nurse'] }, ISSUER, defaults).displayName).toBe('zhao');
    expect(mapClaimsToUser({ sub: 'u1', name: '  ', huizhen_roles: ['nurse'] }, ISSUER, defaults).displayName).toBe('u1');
  });

  it('leaves wards empty and practitionerId absent when the claims are missing', () => {
    const user = mapClaimsToUser({ sub: 'u1', huizhen_roles: ['administrator'] }, ISSUER, defaults);
    expect(user.wards).toEqual([]);
    expect(user).not.toHaveProperty('practitionerId');
  });

  it('refuses a missing or malformed sub and malformed role lists as invalid-response', () => {
    expect(authErrorOf(() => mapClaimsToUser({ huizhen_roles: ['nurse'] }, ISSUER, defaults)).code).toBe('invalid-response');
    expect(authErrorOf(() => mapClaimsToUser({ sub: 7, huizhen_roles: ['nurse'] }, ISSUER, defaults)).code).toBe('invalid-response');
    expect(authErrorOf(() => mapClaimsToUser({ sub: 'x'.repeat(256), huizhen_roles: ['nurse'] }, ISSUER, defaults)).code).toBe(
      'invalid-response',
    );
    const bad = authErrorOf(() => mapClaimsToUser({ sub: 'u1', huizhen_roles: [{ role: 'nurse' }] }, ISSUER, defaults));
    expect(bad.code).toBe('invalid-response');
    expect(bad.message).toContain('huizhen_roles');
  });

  it('drops over-long wards and truncates an over-long name rather than refusing the sign-in', () => {
    const user = mapClaimsToUser(
      { sub: 'u1', name: '名'.repeat(300), huizhen_roles: ['nurse'], huizhen_wards: ['W'.repeat(101), 'CARD-1'] },
      ISSUER,
      defaults,
    );
    expect(user.displayName).toHaveLength(200);
    expect(user.wards).toEqual(['CARD-1']);
  });
});

describe('readClaim', () => {
  it('prefers the exact name over a dotted path and stops at non-objects', () => {
    expect(readClaim({ 'a.b': 1, a: { b: 2 } }, 'a.b')).toBe(1);
    expect(readClaim({ a: { b: 2 } }, 'a.b')).toBe(2);
    expect(readClaim({ a: 'text' }, 'a.b')).toBeUndefined();
    expect(readClaim({ a: [1] }, 'a.0')).toBeUndefined();
  });
});
