import { hostname } from 'node:os';
import { besideCache } from '../durable-files/index.ts';

/** "<cache folder>-audit": a folder of its own beside the cache (0700). */
export function defaultAuditDirectory(cacheDirectory: string): string {
  return besideCache(cacheDirectory, 'audit');
}

export function defaultWorkstationId(): string {
  return hostname();
}
