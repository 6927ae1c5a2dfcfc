import { randomBytes } from 'node:crypto';
import * as realFs from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The slice of node:fs/promises blob storage uses. A parameter so tests can inject a failing
 * layer (ENOSPC half-way through a write) without filling a real disk.
 */
export type BlobFs = Pick<typeof FsPromises, 'open' | 'rename' | 'unlink' | 'readFile' | 'mkdir' | 'readdir'>;

export const nodeBlobFs: BlobFs = realFs;

export const TEMP_PREFIX = '.tmp-';

/**
 * Writes a file so that after a crash it is either absent or complete: a temporary file is
 * written and fsynced, renamed over the final name, and the directory is fsynced so the rename
 * itself is durable. On failure the temporary file is removed and the error rethrown.
 */
export async function writeFileAtomically(fs: BlobFs, path: string, data: Uint8Array): Promise<void> {
  const dir = join(path, '..');
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir, fs);
}

/** fsync of a directory, so the renames and creations in it survive a power cut. */
export async function syncDirectory(dir: string, fs: Pick<BlobFs, 'open'> = nodeBlobFs): Promise<void> {
  const dirHandle = await fs.open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}
