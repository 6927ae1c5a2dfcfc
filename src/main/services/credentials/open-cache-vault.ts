import type { HuizhenConfig } from '../../../shared/config/schema.ts';
import { type CacheStore, wipe } from '../cache/index.ts';
import { resolveCacheDirectory } from '../cache-setup/index.ts';
import { CredentialError } from './credential-error.ts';
import { credentialRefsOf, resolveCredentialRefs } from './resolve-credential-refs.ts';
import { credentialsFileOf, openCredentialVault, type CredentialVault } from './credential-vault.ts';

/** The vault key's HKDF purpose under the cache's index key: stable across master-key rotation. */
export const CREDENTIALS_KEY_PURPOSE = 'huizhen-credentials/v1';

/** The credential vault that belongs to this cache; the cache may be closed afterwards. */
export async function openCacheCredentialVault(cache: CacheStore, cacheDirectory: string): Promise<CredentialVault> {
  const key = cache.deriveServiceKey(CREDENTIALS_KEY_PURPOSE);
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
export async function withResolvedCredentials(config: HuizhenConfig, cache: CacheStore | undefined): Promise<HuizhenConfig> {
  if (credentialRefsOf(config).length === 0) return config;
  if (!cache || !config.cache?.enabled) {
    throw new CredentialError('missing-ref', 'the configuration refers to credentials in the vault (…Ref fields), which needs the encrypted cache: enable the cache, or give the secrets inline');
  }
  const vault = await openCacheCredentialVault(cache, resolveCacheDirectory(config.cache));
  try {
    return resolveCredentialRefs(config, vault);
  } finally {
    vault.close();
  }
}
