import { mkdirSync, renameSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';

/** A damaged file or row moved aside, as reported to the caller. */
export interface QuarantineEntry {
  /** What was moved: a file path inside the cache directory, or "records/<blind refs>". */
  what: string;
  /** Where it went (for files), so an administrator can hand it to support. */
  movedTo?: string;
  reason: string;
  at: string;
}

export function quarantineDir(cacheDir: string): string {
  return join(cacheDir, 'quarantine');
}

/**
 * Moves damaged files aside under quarantine/, named with the time, instead of deleting them:
 * they hold only ciphertext, and may matter to whoever investigates.
 */
export function quarantineFiles(cacheDir: string, paths: readonly string[], reason: string, now: Date): QuarantineEntry[] {
  const target = quarantineDir(cacheDir);
  mkdirSync(target, { recursive: true });
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const entries: QuarantineEntry[] = [];
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const movedTo = join(target, `${stamp}-${basename(path)}`);
    renameSync(path, movedTo);
    entries.push({ what: path, movedTo, reason, at: now.toISOString() });
  }
  return entries;
}
