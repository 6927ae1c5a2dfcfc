import type { CacheStore } from '../main/services/cache/index.ts';
import { openConfiguredCache, passphraseProtectorFromEnv } from '../main/services/cache-setup/index.ts';
import type { CacheConfig } from '../shared/config/cache.ts';
import { isCacheOpenFailure } from './cli-failure.ts';
import { CliError } from './cli-error.ts';

/**
 * Opens the configured cache with its passphrase (as the browser host does), lends it to `use`
 * and closes it: what is sealed with the cache's keys (audit log, credential vault) needs it.
 * A cache that cannot be opened (no passphrase, a wrong one, a damaged key file) ends the
 * command with `exitCode`, the code that names what could not be read.
 */
export async function withCliCache<T>(
  cache: CacheConfig | undefined,
  subject: string,
  exitCode: number,
  use: (store: CacheStore) => T | Promise<T>,
): Promise<T> {
  if (!cache?.enabled) throw new CliError(`${subject} is sealed with the cache's keys: this configuration has no cache`, exitCode);
  let store: CacheStore;
  try {
    store = (await openConfiguredCache(cache, () => passphraseProtectorFromEnv(cache)))!;
  } catch (error) {
    if (isCacheOpenFailure(error)) throw new CliError(`${subject} cannot be opened: ${error.message}`, exitCode);
    throw error;
  }
  try {
    return await use(store);
  } finally {
    store.close();
  }
}
