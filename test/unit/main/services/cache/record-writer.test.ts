import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { serialize } from 'node:v8';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { electronBuildOptions } from '../../../../../scripts/build-electron.ts';
import { CacheError } from '../../../../../src/main/services/cache/cache-error.ts';
import { openCacheStore, type CacheStore, type CacheStoreOptions } from '../../../../../src/main/services/cache/cache-store.ts';
import { openKeyRing } from '../../../../../src/main/services/keys/index.ts';
import type * as writerModule from '../../../../../src/main/services/cache/record-writer.ts';
import { observation, syntheticPatient, tempCacheDir, testProtector } from '../../../../support/cache-fixtures.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const alice = syntheticPatient(1);
const bob = syntheticPatient(2);

async function open(options: Partial<CacheStoreOptions> = {}): Promise<{ store: CacheStore; dir: string }> {
  const { dir, cleanup } = tempCacheDir('record-writer');
  const store = await openCacheStore({ directory: dir, protector: testProtector(), ...options });
  cleanups.push(() => {
    store.close();
    cleanup();
  });
  return { store, dir };
}

const valuesOf = async (store: CacheStore, key: string) =>
  (await store.getRecords(key)).records.map((r) => (r.resource as { valueQuantity?: { value: number } }).valueQuantity?.value);

/** The cache's keys, opened from its database with its passphrase as the store does. */
async function keysOf(dir: string) {
  const db = new DatabaseSync(join(dir, 'cache.db'));
  try {
    const ring = await openKeyRing(db, testProtector(), {});
    return { masterKey: ring.masterKey, masterKeyId: ring.masterKeyId, indexKey: ring.indexKey, ...ring.index };
  } finally {
    db.close();
  }
}

async function rejection(promise: Promise<unknown>): Promise<CacheError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CacheError);
  return error as CacheError;
}

describe('the record writer thread (putRecordBatch)', () => {
  it('commits a batch off the main thread: readable here once it resolves, serialised chunks included, and after a reopen', async () => {
    const { store, dir } = await open();
    const revisions = await store.putRecordBatch([
      { patientKey: alice.key, sourceId: 'cdr', records: [observation(1)], serialized: [serialize([observation(2), observation(3)])] },
      { patientKey: bob.key, sourceId: 'cdr', records: [], serialized: [serialize([observation(4)])] },
    ]);
    expect(revisions).toEqual([await store.revisionOf(alice.key), await store.revisionOf(bob.key)]);
    expect((await store.getRecords(alice.key)).records.map((r) => r.resource.id)).toEqual(['obs-1', 'obs-2', 'obs-3']);
    store.close();
    const again = await openCacheStore({ directory: dir, protector: testProtector() });
    cleanups.push(() => again.close());
    expect((await again.getRecords(bob.key)).records).toEqual([observation(4)]);
  });

  it('commits batches in the order they were handed over: the later upsert of a record wins', async () => {
    const { store } = await open();
    const writes = [4.1, 4.2, 4.3].map((value) =>
      store.putRecordBatch([{ patientKey: alice.key, sourceId: 'cdr', records: [observation(1, 'cdr', value)] }]),
    );
    await Promise.all(writes);
    expect(await valuesOf(store, alice.key)).toEqual([4.3]);
  });

  it('a patient purged on the main thread is created afresh by the next batch, never written under its shredded key', async () => {
    const { store } = await open();
    await store.putRecordBatch([{ patientKey: alice.key, sourceId: 'cdr', records: [observation(1)] }]);
    expect(await store.purgePatient(alice.key)).toBe(true);
    await store.putRecordBatch([{ patientKey: alice.key, sourceId: 'cdr', records: [observation(2)] }]);
    const { records, failures } = await store.getRecords(alice.key);
    expect(failures).toEqual([]);
    expect(records.map((r) => r.resource.id)).toEqual(['obs-2']);
  });

  it('after a master-key rotation, patients the thread creates open under the new key', async () => {
    const { store, dir } = await open();
    await store.putRecordBatch([{ patientKey: alice.key, sourceId: 'cdr', records: [observation(1)] }]);
    const rotated = store.rotateMasterKey(testProtector('a brand new passphrase'));
    // Handed over during the rotation: held until it is done, then written with the new key.
    const during = store.putRecordBatch([{ patientKey: bob.key, sourceId: 'cdr', records: [observation(2)] }]);
    await Promise.all([rotated, during]);
    store.close();
    const again = await openCacheStore({ directory: dir, protector: testProtector('a brand new passphrase') });
    cleanups.push(() => again.close());
    expect((await again.getRecords(bob.key)).failures).toEqual([]);
    expect((await again.getRecords(bob.key)).records).toEqual([observation(2)]);
    expect((await again.getRecords(alice.key)).records).toEqual([observation(1)]);
  });

  it("refuses what the cache cannot store with the cache's own errors: bad records, unreadable chunks, a full database", async () => {
    const { store } = await open({ maxPageCount: 60 });
    const foreign = observation(1, 'emr');
    expect((await rejection(store.putRecordBatch([{ patientKey: alice.key, sourceId: 'cdr', records: [foreign] }]))).code).toBe(
      'invalid-input',
    );
    const garbled = new Uint8Array([0xff, 0x0d, 0x01, 0x02]);
    expect(
      (await rejection(store.putRecordBatch([{ patientKey: alice.key, sourceId: 'cdr', records: [], serialized: [garbled] }]))).code,
    ).toBe('invalid-input');
    const big = Array.from({ length: 400 }, (_, i) => {
      const record = observation(i);
      (record.resource as { note?: { text: string }[] }).note = [{ text: 'padding '.repeat(200) }];
      return record;
    });
    expect((await rejection(store.putRecordBatch([{ patientKey: alice.key, sourceId: 'cdr', records: big }]))).code).toBe('disk-full');
    // Nothing of the refused batch was kept, and the thread still writes.
    expect((await store.getRecords(alice.key)).records).toEqual([]);
    await store.putRecordBatch([{ patientKey: bob.key, sourceId: 'cdr', records: [observation(7)] }]);
    expect((await store.getRecords(bob.key)).records).toEqual([observation(7)]);
  });

  it('a writer thread that cannot start: the batches are written on this thread instead, in order', async () => {
    const { store } = await open({ recordWriterEntry: join(tmpdir(), 'no-such-record-writer.ts') });
    const writes = [5.1, 5.2].map((value) =>
      store.putRecordBatch([{ patientKey: alice.key, sourceId: 'cdr', records: [observation(1, 'cdr', value)] }]),
    );
    await Promise.all(writes);
    expect(await valuesOf(store, alice.key)).toEqual([5.2]);
  });

  it('a store closed with batches in flight lets them commit', async () => {
    const { store, dir } = await open();
    const write = store.putRecordBatch([{ patientKey: alice.key, sourceId: 'cdr', records: [observation(1)] }]);
    store.close();
    await write;
    const again = await openCacheStore({ directory: dir, protector: testProtector() });
    cleanups.push(() => again.close());
    expect((await again.getRecords(alice.key)).records).toEqual([observation(1)]);
  });

  it('works from the Electron bundles: the writer bundle beside a CommonJS main is found and writes (no import.meta there)', async () => {
    const { dir, store } = await open();
    const bundleDir = mkdtempSync(join(tmpdir(), 'huizhen-writer-bundle-'));
    cleanups.push(() => rmSync(bundleDir, { recursive: true, force: true }));
    const options = electronBuildOptions();
    await build({ ...options.cacheWriter, outfile: join(bundleDir, 'cache-writer-worker.cjs'), sourcemap: false, logLevel: 'error' });
    await build({
      ...options.main,
      entryPoints: [new URL('../../../../../src/main/services/cache/record-writer.ts', import.meta.url).pathname],
      outfile: join(bundleDir, 'main.cjs'),
      sourcemap: false,
      logLevel: 'error',
    });
    const bundled = createRequire(import.meta.url)(join(bundleDir, 'main.cjs')) as typeof writerModule;
    expect(bundled.defaultRecordWriterEntry().pathname).toBe(join(bundleDir, 'cache-writer-worker.cjs'));
    // The store above created the database and its keys; the bundled writer gets copies of them.
    await store.putRecordBatch([{ patientKey: bob.key, sourceId: 'cdr', records: [observation(1)] }]);
    const { masterKey, masterKeyId, indexKey, blind, blobName } = await keysOf(dir);
    const writer = bundled.createRecordWriter({
      setup: () => ({ directory: dir, keys: { masterKey, masterKeyId, indexKey, blind, blobName } }),
      inline: () => Promise.reject(new Error('written on the main thread: the bundled writer did not start')),
    });
    cleanups.unshift(() => writer.close());
    await writer.write([{ patientKey: alice.key, sourceId: 'cdr', records: [observation(2)] }], Date.now());
    expect((await store.getRecords(alice.key)).records).toEqual([observation(2)]);
  }, 60_000);
});
