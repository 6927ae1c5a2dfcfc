/** Sign-in mechanisms the workstation's session layer calls. */
export { AuthError, AUTH_ERROR_CODES, isAuthError, type AuthErrorCode } from './auth-error.ts';
export { createLocalSignIn, localAccountUser, verifyLocalSignIn, type LocalSignIn } from './local-accounts.ts';
export { createLoginLockout, type LockoutOptions, type LoginLockout } from './login-lockout.ts';
export { DEFAULT_SCRYPT_COST, hashPassword, parsePasswordHash, verifyPassword, type ScryptCost } from './password-hash.ts';
export { mapClaimsToUser, type ClaimMapping } from './oidc/claims-to-user.ts';
export { startOidcSignIn, type OidcSignIn, type OidcSignInOptions, type OidcSignInResult } from './oidc/oidc-sign-in.ts';
export { CALLBACK_PATH } from './oidc/loopback-redirect.ts';
export { signInMethods } from './sign-in-methods.ts';
export { defaultUserId } from './system-user.ts';
