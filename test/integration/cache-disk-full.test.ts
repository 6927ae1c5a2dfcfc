import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { BlobFs } from '../../src/main/services/cache/blob-files.ts';
import { CacheError } from '../../src/main/services/cache/cache-error.ts';
import { openCacheStore, type CacheStore } from '../../src/main/services/cache/cache-store.ts';
import { observation, syntheticPatient, tempCacheDir, testProtector } from '../support/cache-fixtures.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const alice = syntheticPatient(1);

/** Writes one-record batches until the store reports disk-full; returns the acknowledged ids. */
async function fillUntilFull(store: CacheStore, limit: number): Promise<{ acked: string[]; error: CacheError }> {
  const acked: string[] = [];
  for (let i = 0; i < limit; i++) {
    const record = observation(i);
    (record.resource as { note?: { text: string }[] }).note = [{ text: 'padding '.repeat(200) }];
    try {
      await store.putRecords(alice.key, 'cdr', [record]);
      acked.push(`obs-${i}`);
    } catch (error) {
      expect(error).toBeInstanceOf(CacheError);
      return { acked, error: error as CacheError };
    }
  }
  throw new Error(`the store never filled up after ${limit} writes`);
}

async function expectAllPresent(dir: string, acked: string[]): Promise<void> {
  const store = await openCacheStore({ directory: dir, protector: testProtector() });
  try {
    const { records, failures } = await store.getRecords(alice.key);
    expect(failures).toEqual([]);
    expect(records.map((r) => r.resource.id).sort()).toEqual([...acked].sort());
  } finally {
    store.close();
  }
}

describe('a full disk while writing', () => {
  it('SQLite out of pages (max_page_count): disk-full, every acknowledged record kept', async () => {
    const { dir, cleanup } = tempCacheDir('full');
    cleanups.push(cleanup);
    const store = await openCacheStore({ directory: dir, protector: testProtector(), maxPageCount: 60 });
    const { acked, error } = await fillUntilFull(store, 500);
    expect(error.code).toBe('disk-full');
    expect(error.message).toMatch(/nothing of this write was kept/);
    expect(acked.length).toBeGreaterThan(5);
    // The store is still usable for reads after the failed write.
    expect((await store.getRecords(alice.key)).records).toHaveLength(acked.length);
    store.close();
    await expectAllPresent(dir, acked);
  });

  it('ENOSPC from the file system half-way through a blob (injected fs layer): disk-full, no partial file', async () => {
    const { dir, cleanup } = tempCacheDir('full');
    cleanups.push(cleanup);
    let failWrites = false;
    const failing: BlobFs = {
      ...fsPromises,
      open: (async (...args: Parameters<typeof fsPromises.open>) => {
        const handle = await fsPromises.open(...args);
        if (!failWrites || args[1] !== 'wx') return handle;
        return Object.assign(Object.create(handle) as fsPromises.FileHandle, {
          writeFile: async (data: Uint8Array) => {
            await handle.write(data.subarray(0, 100));
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          },
          close: () => handle.close(),
        });
      }) as BlobFs['open'],
    };
    const store = await openCacheStore({ directory: dir, protector: testProtector(), blobFs: failing });
    await store.putBlob(alice.key, 'kept', new Uint8Array(3000).fill(1));
    failWrites = true;
    const error = await store.putBlob(alice.key, 'lost', new Uint8Array(3000).fill(2)).catch((e: unknown) => e);
    expect((error as CacheError).code).toBe('disk-full');
    failWrites = false;
    expect(await store.getBlob(alice.key, 'lost')).toBeUndefined();
    expect(await store.getBlob(alice.key, 'kept')).toEqual(new Uint8Array(3000).fill(1));
    const files = readdirSync(join(dir, 'blobs'), { recursive: true }).map(String);
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
    store.close();
  });

  describe('on a real, tiny tmpfs (needs root and mount; skipped otherwise)', () => {
    const mountPoint = mkdtempSync(join(tmpdir(), 'huizhen-tmpfs-'));
    let mounted = false;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k,mode=0700', 'tmpfs', mountPoint], { stdio: 'ignore' });
      mounted = true;
    } catch {
      mounted = false;
    }
    afterAll(() => {
      // Lazy unmount if a failed test left a file open; the mount is ours either way.
      if (mounted) execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
      rmSync(mountPoint, { recursive: true, force: true });
    });

    it.skipIf(!mounted)('records: disk-full, then every acknowledged record readable', async () => {
      const dir = join(mountPoint, 'records');
      const store = await openCacheStore({ directory: dir, protector: testProtector() });
      const { acked, error } = await fillUntilFull(store, 2000).finally(() => store.close());
      expect(error.code).toBe('disk-full');
      expect(acked.length).toBeGreaterThan(5);
      await expectAllPresent(dir, acked);
      rmSync(dir, { recursive: true, force: true });
    });

    it.skipIf(!mounted)('blobs: disk-full, the previous blobs intact, no temporary file left', async () => {
      const dir = join(mountPoint, 'blobs');
      const store = await openCacheStore({ directory: dir, protector: testProtector() });
      const kept: number[] = [];
      let failure: unknown;
      for (let i = 0; i < 100 && failure === undefined; i++) {
        await store.putBlob(alice.key, `img-${i}`, new Uint8Array(50_000).fill(i)).then(
          () => kept.push(i),
          (e: unknown) => (failure = e),
        );
      }
      try {
        expect((failure as CacheError).code).toBe('disk-full');
        expect(kept.length).toBeGreaterThan(2);
        for (const i of kept) expect(await store.getBlob(alice.key, `img-${i}`)).toEqual(new Uint8Array(50_000).fill(i));
        expect(
          readdirSync(join(dir, 'blobs'), { recursive: true })
            .map(String)
            .filter((f) => f.includes('.tmp-')),
        ).toEqual([]);
      } finally {
        store.close();
      }
    });
  });
});
