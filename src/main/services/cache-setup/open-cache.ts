import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CacheConfig } from '../../../shared/config/cache.ts';
import { type CacheStore, createPassphraseKeyProtector, openCacheStore } from '../cache/index.ts';
import type { KeyProtector } from '../security/index.ts';

/** A cache that cannot be opened as configured, phrased for the person starting the workstation. */
export class CacheSetupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CacheSetupError';
  }
}

export function defaultCacheDirectory(): string {
  const base = process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  return join(base, 'huizhen', 'cache');
}

export function resolveCacheDirectory(config: CacheConfig): string {
  return config.directory ?? defaultCacheDirectory();
}

/** The master key's protector for the browser host and the CLI: a passphrase from the environment. */
export function passphraseProtectorFromEnv(config: CacheConfig, env: NodeJS.ProcessEnv = process.env): KeyProtector {
  const passphrase = env[config.passphraseEnv];
  if (!passphrase) {
    throw new CacheSetupError(
      `the encrypted cache is configured but ${config.passphraseEnv} is not set: set it to the cache passphrase, or set cache.enabled to false`,
    );
  }
  return createPassphraseKeyProtector(passphrase);
}

/** Opens the configured cache with the given key protector; undefined when the cache is off. */
export async function openConfiguredCache(
  config: CacheConfig | undefined,
  protector: () => KeyProtector | Promise<KeyProtector>,
): Promise<CacheStore | undefined> {
  if (!config?.enabled) return undefined;
  return openCacheStore({
    directory: resolveCacheDirectory(config),
    protector: await protector(),
    allowInsecureBackend: config.allowInsecureKeyStorage,
    retention: { maxIdleDays: config.retentionDays, purgeOnLogout: config.purgeOnLogout },
    blobBudgetBytes: config.imageBudgetMb * 1024 * 1024,
  });
}
