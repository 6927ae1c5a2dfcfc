/**
 * Orthanc's storage (index and files) holding a drawn plan's instances, kept beside the drawn
 * files: a later start copies the index and hard-links the files into its own temp folder in
 * well under a second, instead of storing every instance again (5 s on a quiet machine, 40 s
 * on a loaded one). Orthanc never rewrites a stored file, so the links are safe to share.
 */
import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { SeedFailure } from './generate-files.ts';
import { startOrthanc } from './orthanc-process.ts';
import { uploadInstances, type UploadResult } from './upload-instances.ts';

const SEEDED_FILE = 'seeded.json';

const SeededSchema = z.object({
  stored: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  failures: z.array(z.object({ file: z.string(), reason: z.string() })),
});

export interface SeededStorage {
  /** The folder whose `storage` Orthanc ran on. */
  folder: string;
  stored: number;
  bytes: number;
  failures: SeedFailure[];
}

/** Where a drawn series folder's seeded storage is kept. */
export function seededFolderOf(seriesFolder: string): string {
  return `${seriesFolder}-orthanc`;
}

export async function readSeededStorage(seriesFolder: string): Promise<SeededStorage | undefined> {
  const folder = seededFolderOf(seriesFolder);
  const file = path.join(folder, SEEDED_FILE);
  if (!existsSync(file)) return undefined;
  const parsed = SeededSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  return parsed.success ? { folder, ...parsed.data } : undefined;
}

/**
 * Stores the files in an Orthanc of its own, stops it cleanly (so its index is complete on
 * disk) and renames its folder into place: a crash or a parallel start never leaves half a store.
 */
export async function seedStorage(seriesFolder: string, files: readonly string[]): Promise<SeededStorage> {
  const folder = seededFolderOf(seriesFolder);
  const staging = await mkdtemp(`${folder}.tmp-`);
  try {
    const orthanc = await startOrthanc({ folder: staging });
    let upload: UploadResult;
    try {
      const { username, password } = orthanc.credentials;
      upload = await uploadInstances(orthanc.httpUrl, `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`, files);
    } finally {
      await orthanc.stop();
    }
    const seeded = { stored: upload.stored, bytes: upload.bytes, failures: upload.failures };
    await writeFile(path.join(staging, SEEDED_FILE), JSON.stringify(seeded));
    await rename(staging, folder).catch(async (error: unknown) => {
      if (!existsSync(path.join(folder, SEEDED_FILE))) throw error;
      await rm(staging, { recursive: true, force: true }); // another start finished first
    });
    return { folder, ...seeded };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Fills `target/storage` from the seeded one: the index copied (Orthanc writes it), the instance files hard-linked. */
export async function cloneSeededStorage(seeded: SeededStorage, target: string): Promise<void> {
  const from = path.join(seeded.folder, 'storage');
  const to = path.join(target, 'storage');
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true, recursive: true })) {
    const source = path.join(entry.parentPath, entry.name);
    const copy = path.join(to, path.relative(from, source));
    if (entry.isDirectory()) {
      await mkdir(copy, { recursive: true });
    } else if (entry.isFile()) {
      await mkdir(path.dirname(copy), { recursive: true });
      // Top-level files are the index (and its journal); a link across file systems falls back to a copy.
      if (entry.parentPath === from) await copyFile(source, copy);
      else await link(source, copy).catch(() => copyFile(source, copy));
    }
  }
}
