import { describe, expect, it } from 'vitest';
import { SignInSession, type SessionEvent } from '../../../../../src/main/services/auth/index.ts';
import { AuthError } from '../../../../../src/main/services/auth/auth-error.ts';
import type { SessionView } from '../../../../../src/shared/api/session.ts';
import type { User } from '../../../../../src/shared/domain/user.ts';

const nurse: User = { id: 'oidc:nurse', displayName: '赵护士', roles: ['nurse'], wards: [], authMethod: 'oidc' };

function sessionWithIdp(outcomes: Array<() => Promise<{ user: User }>>, views: SessionView[], events: SessionEvent[]) {
  let t = Date.parse('2026-12-07T06:00:00Z');
  return new SignInSession({
    methods: { oidc: async () => ({ authorizationUrl: 'http://127.0.0.1:1/auth', completion: outcomes.shift()!() }) },
    idleLockMinutes: 10,
    sessionMaxHours: 12,
    masksIdentifiers: () => false,
    capabilitiesOf: () => ['search', 'open'],
    clock: () => (t += 1000),
    onChange: (view, event) => {
      views.push(view);
      events.push(event);
    },
  });
}

describe('a failed sign-in with the identity provider', () => {
  it('reaches the renderer as a code with its time; the English message goes to the audit event only', async () => {
    const views: SessionView[] = [];
    const events: SessionEvent[] = [];
    const session = sessionWithIdp(
      [
        async () => Promise.reject(new AuthError('no-role', 'signed in, but with no Huizhen role: guest')),
        async () => Promise.reject(new Error('socket hang up')),
        async () => ({ user: nurse }),
      ],
      views,
      events,
    );

    await session.beginOidc();
    await expect.poll(() => views.length).toBe(1);
    expect(views[0]!.oidcFailure).toEqual({ reason: 'no-role', at: expect.any(String) });
    expect(events[0]).toMatchObject({ type: 'login-failed', method: 'oidc', message: 'signed in, but with no Huizhen role: guest' });
    expect(JSON.stringify(views[0])).not.toContain('guest');

    // A new attempt starts clean; a failure that is not an AuthError is 'other', with its own time.
    await session.beginOidc();
    expect(session.view().oidcFailure).toBeUndefined();
    await expect.poll(() => views.length).toBe(2);
    expect(views[1]!.oidcFailure?.reason).toBe('other');
    expect(views[1]!.oidcFailure?.at).not.toBe(views[0]!.oidcFailure?.at);

    // Signing in clears it.
    await session.beginOidc();
    await expect.poll(() => session.view().state).toBe('active');
    expect(session.view().oidcFailure).toBeUndefined();
  });
});
