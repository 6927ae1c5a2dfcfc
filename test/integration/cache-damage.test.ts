import { existsSync, openSync, readdirSync, statSync, truncateSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheError } from '../../src/main/services/cache/cache-error.ts';
import { openCacheStore, type CacheStore } from '../../src/main/services/cache/cache-store.ts';
import { observation, syntheticPatient, tempCacheDir, testProtector } from '../support/cache-fixtures.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const alice = syntheticPatient(1);
const PAGE = 4096;

/** A closed cache with enough records to span many pages, and one blob. */
async function filledCache(): Promise<string> {
  const { dir, cleanup } = tempCacheDir('damage');
  cleanups.push(cleanup);
  const store = await openCacheStore({ directory: dir, protector: testProtector() });
  await store.putRecords(
    alice.key,
    'cdr',
    Array.from({ length: 300 }, (_, i) => observation(i)),
  );
  await store.putBlob(alice.key, 'image', new Uint8Array(2000).fill(3));
  store.close();
  return dir;
}

function overwrite(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
}

async function expectQuarantinedAndFresh(dir: string): Promise<CacheStore> {
  const store = await openCacheStore({ directory: dir, protector: testProtector() });
  expect(store.openReport.created).toBe(true);
  const moved = store.openReport.quarantined.map((q) => q.what);
  expect(moved).toContain(join(dir, 'cache.db'));
  expect(moved).toContain(join(dir, 'blobs'));
  expect(store.openReport.quarantined[0]!.reason).toMatch(/damaged database/);
  for (const entry of store.openReport.quarantined) expect(existsSync(entry.movedTo!)).toBe(true);
  // The fresh cache works.
  await store.putRecords(alice.key, 'cdr', [observation(1)]);
  expect((await store.getRecords(alice.key)).records).toHaveLength(1);
  return store;
}

describe('a damaged database file', () => {
  it('with a destroyed header is quarantined and a fresh cache created', async () => {
    const dir = await filledCache();
    overwrite(join(dir, 'cache.db'), 0, Buffer.alloc(100, 0xab));
    (await expectQuarantinedAndFresh(dir)).close();
  });

  it('truncated half-way is quarantined and a fresh cache created', async () => {
    const dir = await filledCache();
    const path = join(dir, 'cache.db');
    truncateSync(path, Math.floor(statSync(path).size / PAGE / 2) * PAGE);
    (await expectQuarantinedAndFresh(dir)).close();
  });

  it('with garbage in a data page fails its integrity check and is quarantined', async () => {
    const dir = await filledCache();
    const path = join(dir, 'cache.db');
    const pages = statSync(path).size / PAGE;
    overwrite(path, Math.floor(pages / 2) * PAGE, Buffer.alloc(PAGE, 0x5a));
    (await expectQuarantinedAndFresh(dir)).close();
  });

  it('that is not a database at all is quarantined', async () => {
    const { dir, cleanup } = tempCacheDir('damage');
    cleanups.push(cleanup);
    writeFileSync(join(dir, 'cache.db'), 'this is a text file, not SQLite\n'.repeat(200));
    const store = await openCacheStore({ directory: dir, protector: testProtector() });
    expect(store.openReport.quarantined.map((q) => q.what)).toEqual([join(dir, 'cache.db')]);
    expect(readdirSync(join(dir, 'quarantine'))).toHaveLength(1);
    store.close();
  });

  it('written by a newer release is left untouched with a clear error', async () => {
    const dir = await filledCache();
    const db = new DatabaseSync(join(dir, 'cache.db'));
    db.exec('UPDATE schema_version SET version = 99');
    db.close();
    const error = await openCacheStore({ directory: dir, protector: testProtector() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).code).toBe('unsupported-version');
    expect(existsSync(join(dir, 'quarantine'))).toBe(false);
  });

  it('with its key records removed says so instead of inventing new keys over old data', async () => {
    const dir = await filledCache();
    const db = new DatabaseSync(join(dir, 'cache.db'));
    db.exec(`DELETE FROM meta WHERE name = 'wrapped_index_key'`);
    db.close();
    const error = await openCacheStore({ directory: dir, protector: testProtector() }).catch((e: unknown) => e);
    expect((error as CacheError).code).toBe('corrupt');
  });
});
