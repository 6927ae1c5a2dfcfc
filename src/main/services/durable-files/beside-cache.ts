import { basename, dirname, join } from 'node:path';

/**
 * "<cache folder>-<suffix>" beside the cache folder: the same per-user territory for what lives
 * with the cache but must survive its purges (audit log, credential vault, exports), and never
 * shared by two caches that happen to sit in one parent (e.g. /tmp).
 */
export function besideCache(cacheDirectory: string, suffix: string): string {
  return join(dirname(cacheDirectory), `${basename(cacheDirectory)}-${suffix}`);
}
