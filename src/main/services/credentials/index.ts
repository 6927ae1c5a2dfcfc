export { CredentialError, type CredentialErrorCode } from './credential-error.ts';
export {
  CREDENTIALS_FILE_FORMAT,
  credentialsFileOf,
  openCredentialVault,
  type CredentialListing,
  type CredentialVault,
  type CredentialVaultOptions,
  type SecretLookup,
} from './credential-vault.ts';
export { CREDENTIALS_KEY_PURPOSE, openCacheCredentialVault, withResolvedCredentials } from './open-cache-vault.ts';
export { credentialRefsOf, resolveCredentialRefs, type CredentialRefUse } from './resolve-credential-refs.ts';
