export { type SessionEvent, SessionManager, SessionRequiredError, type SignInMethods, SignInRefusedError } from './session-manager.ts';
export { signInMethods } from './sign-in-methods.ts';
export { defaultUserId } from './system-user.ts';
