import { describe, expect, it } from 'vitest';
import { SignInSession, SessionRequiredError, SignInRefusedError, type SessionEvent } from '../../../../../src/main/services/auth/index.ts';
import { AuthError } from '../../../../../src/main/services/auth/auth-error.ts';
import type { User } from '../../../../../src/shared/domain/user.ts';

const doctor: User = { id: 'local:doctor', displayName: '李医生', roles: ['ward-doctor'], wards: [], authMethod: 'local' };
const nurse: User = { id: 'local:nurse', displayName: '赵护士', roles: ['nurse'], wards: [], authMethod: 'local' };

function manager(now: { t: number }, events: SessionEvent[] = []) {
  return new SignInSession({
    methods: {
      local: async (u, p) => {
        if (p === 'many') throw new AuthError('locked-out', 'too many failed sign-ins', { retryAfterMs: 4.5 * 60_000 });
        if (p !== 'pw') throw new AuthError('bad-credentials', 'wrong user name or password');
        return u === 'doctor' ? doctor : nurse;
      },
      oidc: async () => ({
        authorizationUrl: 'http://127.0.0.1:1/auth',
        completion: Promise.resolve({ user: nurse, expiresAt: new Date(now.t + 3_600_000).toISOString() }),
      }),
    },
    idleLockMinutes: 10,
    sessionMaxHours: 12,
    masksIdentifiers: (u) => u.roles.includes('nurse'),
    capabilitiesOf: (u) => (u.roles.includes('ward-doctor') ? ['search', 'open', 'link'] : ['search', 'open']),
    clock: () => now.t,
    onChange: (_view, event) => events.push(event),
  });
}

describe('session manager', () => {
  it('refuses a sign-in with a code the renderer words, with the wait when locked out', async () => {
    const s = manager({ t: Date.parse('2026-11-25T08:00:00Z') });
    await expect(s.signInLocal('doctor', 'nope')).rejects.toMatchObject({ refusal: { reason: 'bad-credentials' } });
    await expect(s.signInLocal('doctor', 'many')).rejects.toMatchObject({ refusal: { reason: 'locked-out', retryAfterMinutes: 5 } });
    await expect(s.unlockLocal('pw')).rejects.toMatchObject({ refusal: { reason: 'not-locked' } });
    s.dispose();
  });

  it('requires a sign-in, locks when idle, unlocks with the password only, and expires', async () => {
    const now = { t: Date.parse('2026-11-25T08:00:00Z') };
    const events: SessionEvent[] = [];
    const s = manager(now, events);
    expect(() => s.require()).toThrow(SessionRequiredError);
    await expect(s.signInLocal('doctor', 'nope')).rejects.toThrow(SignInRefusedError);
    await s.signInLocal('doctor', 'pw');
    expect(s.require()).toEqual(doctor);
    now.t += 9 * 60_000;
    s.checkIdle();
    expect(s.view().state).toBe('active');
    now.t += 10 * 60_000;
    s.checkIdle();
    expect(s.view()).toMatchObject({ state: 'locked', notice: 'idle-locked' });
    expect(() => s.require()).toThrow(expect.objectContaining({ code: 'locked' }));
    await expect(s.unlockLocal('nope')).rejects.toThrow(SignInRefusedError);
    await s.unlockLocal('pw');
    now.t += 12 * 3_600_000;
    expect(s.view()).toMatchObject({ state: 'signed-out', notice: 'expired' });
    expect(events.map((e) => e.type)).toEqual(['login-failed', 'login', 'locked', 'login-failed', 'unlocked', 'logout']);
    s.dispose();
  });

  it('ends an OIDC session when its ID token expires, and a new user ends the previous session', async () => {
    const now = { t: Date.parse('2026-11-25T08:00:00Z') };
    const events: SessionEvent[] = [];
    const s = manager(now, events);
    await s.signInLocal('doctor', 'pw');
    await s.setPrivacyMode(true);
    await s.beginOidc();
    await new Promise((r) => setTimeout(r, 0));
    expect(s.view()).toMatchObject({
      state: 'active',
      user: nurse,
      rolesMaskIdentifiers: true,
      privacyMode: false,
      capabilities: ['search', 'open'],
    });
    expect(events.map((e) => e.type)).toEqual(['login', 'privacy-mode', 'logout', 'login']);
    now.t += 3_600_000;
    expect(s.view().state).toBe('signed-out');
    s.dispose();
  });
});
