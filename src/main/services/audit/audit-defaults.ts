import { hostname } from 'node:os';
import { dirname, join } from 'node:path';

/** "audit" beside the cache folder: the same per-user, 0700 territory, but a folder of its own. */
export function defaultAuditDirectory(cacheDirectory: string): string {
  return join(dirname(cacheDirectory), 'audit');
}

export function defaultWorkstationId(): string {
  return hostname();
}
