import type { CacheStore } from '../main/services/cache/index.ts';
import { openConfiguredCache, passphraseProtectorFromEnv } from '../main/services/workstation/open-cache.ts';
import type { CacheConfig } from '../shared/config/cache.ts';
import { CliError } from './cli-error.ts';

/**
 * Opens the configured cache with its passphrase (as the browser host does), lends it to `use`
 * and closes it: what is sealed with the cache's keys (audit log, credential vault) needs it.
 */
export async function withCliCache<T>(cache: CacheConfig | undefined, subject: string, exitCode: number, use: (store: CacheStore) => T | Promise<T>): Promise<T> {
  if (!cache?.enabled) throw new CliError(`${subject} is sealed with the cache's keys: this configuration has no cache`, exitCode);
  const store = (await openConfiguredCache(cache, () => passphraseProtectorFromEnv(cache)))!;
  try {
    return await use(store);
  } finally {
    store.close();
  }
}
