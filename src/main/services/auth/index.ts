export { createLocalSignIn } from './local-accounts.ts';
export { startOidcSignIn } from './oidc/oidc-sign-in.ts';
export { type SessionEvent, SessionManager, SessionRequiredError, type SignInMethods, SignInRefusedError } from './session-manager.ts';
