export { CredentialError } from './credential-error.ts';
export type { CredentialVault } from './credential-vault.ts';
export { openCacheCredentialVault, withResolvedCredentials } from './open-cache-vault.ts';
export { credentialRefsOf, resolveCredentialRefs } from './resolve-credential-refs.ts';
