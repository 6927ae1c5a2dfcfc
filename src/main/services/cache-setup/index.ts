export {
  CacheSetupError,
  defaultCacheDirectory,
  openConfiguredCache,
  passphraseProtectorFromEnv,
  resolveCacheDirectory,
} from './open-cache.ts';
