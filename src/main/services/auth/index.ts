export { type SessionEvent, SignInSession, SessionRequiredError, type SignInMethods, SignInRefusedError } from './sign-in-session.ts';
export { signInMethods } from './sign-in-methods.ts';
export { defaultUserId } from './system-user.ts';
