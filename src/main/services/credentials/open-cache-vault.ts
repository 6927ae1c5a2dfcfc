import type { HuizhenConfig } from '../../../shared/config/schema.ts';
import { wipe, type ServiceKeySource } from '../keys/index.ts';
import { resolveCacheDirectory } from '../cache-setup/index.ts';
import { CredentialError } from './credential-error.ts';
import { credentialRefsOf, resolveCredentialRefs } from './resolve-credential-refs.ts';
import { credentialsFileOf, openCredentialVault, type CredentialVault } from './credential-vault.ts';

/** The vault key's purpose among the service keys (HKDF under the cache's index key): stable across master-key rotation. */
export const CREDENTIALS_KEY_PURPOSE = 'huizhen-credentials/v1';

/** The credential vault that belongs to this cache, opened with its service key; the cache may be closed afterwards. */
export async function openCacheCredentialVault(keys: ServiceKeySource, cacheDirectory: string): Promise<CredentialVault> {
  const key = keys.deriveServiceKey(CREDENTIALS_KEY_PURPOSE);
  try {
    return await openCredentialVault({ file: credentialsFileOf(cacheDirectory), key });
  } finally {
    wipe(key);
  }
}

/**
 * The configuration with its credential references resolved from this cache's vault; the
 * configuration itself when it has none (no vault is opened then, and none is needed).
 */
export async function withResolvedCredentials(config: HuizhenConfig, cache: ServiceKeySource | undefined): Promise<HuizhenConfig> {
  if (credentialRefsOf(config).length === 0) return config;
  if (!cache || !config.cache?.enabled) {
    throw new CredentialError(
      'missing-ref',
      'the configuration refers to credentials in the vault (…Ref fields), which needs the encrypted cache: enable the cache, or give the secrets inline',
    );
  }
  const vault = await openCacheCredentialVault(cache, resolveCacheDirectory(config.cache));
  try {
    return resolveCredentialRefs(config, vault);
  } finally {
    vault.close();
  }
}
