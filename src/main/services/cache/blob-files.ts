import { type BlobFs, nodeBlobFs, syncDirectory, TEMP_PREFIX, writeFileAtomically } from '../durable-files/index.ts';
import { join } from 'node:path';

export function blobPath(blobDir: string, blobRef: string): string {
  return join(blobDir, blobRef.slice(0, 2), blobRef);
}

export async function removeFile(fs: BlobFs, path: string): Promise<void> {
  await fs.unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/**
 * Files a crash can leave behind: temporary files, and complete files whose database row was
 * never committed. Returns the paths removed.
 */
export async function sweepOrphans(fs: BlobFs, blobDir: string, isReferenced: (blobRef: string) => boolean): Promise<string[]> {
  const removed: string[] = [];
  let shards: string[];
  try {
    shards = await fs.readdir(blobDir);
  } catch {
    return removed;
  }
  for (const shard of shards) {
    let names: string[];
    try {
      names = await fs.readdir(join(blobDir, shard));
    } catch {
      continue;
    }
    for (const name of names) {
      if (name.startsWith(TEMP_PREFIX) || !isReferenced(name)) {
        const path = join(blobDir, shard, name);
        await removeFile(fs, path);
        removed.push(path);
      }
    }
  }
  return removed;
}

export { type BlobFs, nodeBlobFs, syncDirectory, writeFileAtomically };
