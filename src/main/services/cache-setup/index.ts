/** Where the encrypted cache lives and how a host opens it with its key protector. */
export { CacheSetupError, defaultCacheDirectory, openConfiguredCache, passphraseProtectorFromEnv, resolveCacheDirectory } from './open-cache.ts';
