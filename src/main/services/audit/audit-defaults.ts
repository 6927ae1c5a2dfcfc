import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * "<cache folder>-audit" beside the cache folder: the same per-user, 0700 territory, a folder of
 * its own, and never shared by two caches that happen to sit in one parent (e.g. /tmp).
 */
export function defaultAuditDirectory(cacheDirectory: string): string {
  return join(dirname(cacheDirectory), `${basename(cacheDirectory)}-audit`);
}

export function defaultWorkstationId(): string {
  return hostname();
}
