import type { ApiHandlers } from '../api/index.ts';
import type { SignInSession } from '../auth/index.ts';

type SessionHandlers = Pick<
  ApiHandlers,
  'getSession' | 'signInLocal' | 'beginOidcSignIn' | 'unlockLocal' | 'lockSession' | 'signOut' | 'reportActivity' | 'setPrivacyMode'
>;

/** Sign-in, lock, sign-out and privacy mode: the session manager audits them through its events. */
export function sessionHandlers(session: SignInSession): SessionHandlers {
  return {
    async getSession() {
      return { session: session.view() };
    },
    async signInLocal({ username, password }) {
      return { session: await session.signInLocal(username, password) };
    },
    async beginOidcSignIn() {
      return { authorizationUrl: await session.beginOidc() };
    },
    async unlockLocal({ password }) {
      return { session: await session.unlockLocal(password) };
    },
    async lockSession() {
      return { session: session.lock('user') };
    },
    async signOut() {
      return { session: session.signOut() };
    },
    async reportActivity() {
      session.activity();
      return { ok: true };
    },
    async setPrivacyMode({ enabled }) {
      return { session: session.setPrivacyMode(enabled) };
    },
  };
}
