import { existsSync, readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheError } from '../../src/main/services/cache/cache-error.ts';
import { openCacheStore, type CacheStore, type CacheStoreOptions } from '../../src/main/services/cache/cache-store.ts';
import { KeyProtectionError, type KeyProtector } from '../../src/main/services/security/index.ts';
import {
  observation,
  patientResource,
  renamedProtector,
  syntheticPatient,
  tempCacheDir,
  testProtector,
} from '../support/cache-fixtures.ts';
import { rejectionOf } from '../support/rejection.ts';

const cleanups: (() => void)[] = [];
const stores: CacheStore[] = [];
afterEach(() => {
  stores.splice(0).forEach((s) => s.close());
  cleanups.splice(0).forEach((c) => c());
});

function newDir(): string {
  const { dir, cleanup } = tempCacheDir('store');
  cleanups.push(cleanup);
  return dir;
}

async function open(dir: string, extra: Partial<CacheStoreOptions> = {}): Promise<CacheStore> {
  const store = await openCacheStore({ directory: dir, protector: testProtector(), ...extra });
  stores.push(store);
  return store;
}

function reopenable(store: CacheStore): void {
  stores.splice(stores.indexOf(store), 1);
  store.close();
}

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, CacheError);

function raw(dir: string): DatabaseSync {
  return new DatabaseSync(join(dir, 'cache.db'));
}

const alice = syntheticPatient(1);
const bob = syntheticPatient(2);

describe('records', () => {
  it('round-trips records per patient and source, across a reopen', async () => {
    const dir = newDir();
    const store = await open(dir);
    await store.putRecords(alice.key, 'cdr', [patientResource(alice), observation(1), observation(2)]);
    await store.putRecords(alice.key, 'lis', [observation(3, 'lis')]);
    await store.putRecords(bob.key, 'cdr', [patientResource(bob)]);
    reopenable(store);

    const again = await open(dir);
    expect(again.openReport).toMatchObject({ created: false, quarantined: [], keyBackend: 'passphrase:scrypt' });
    const all = await again.getRecords(alice.key);
    expect(all.failures).toEqual([]);
    expect(all.records.map((r) => r.resource.id).sort()).toEqual(['MRN-Q770001', 'obs-1', 'obs-2', 'obs-3']);
    expect(all.records.find((r) => r.resource.id === 'obs-3')?.provenance.sourceId).toBe('lis');
    expect((await again.getRecords(alice.key, { sourceId: 'lis' })).records).toEqual([observation(3, 'lis')]);
    expect((await again.getRecords(bob.key)).records).toEqual([patientResource(bob)]);
    expect(await again.getRecords('never-cached')).toEqual({ records: [], failures: [] });
  });

  it('upserts by resource id, and replace drops what the source no longer has', async () => {
    const store = await open(newDir());
    await store.putRecords(alice.key, 'cdr', [observation(1, 'cdr', 5), observation(2)]);
    await store.putRecords(alice.key, 'cdr', [observation(1, 'cdr', 9)]);
    const values = (await store.getRecords(alice.key)).records.map(
      (r) => (r.resource as { valueQuantity: { value: number } }).valueQuantity.value,
    );
    expect(values.sort()).toEqual([4.2, 9]);
    await store.putRecords(alice.key, 'cdr', [observation(7)], { replace: true });
    expect((await store.getRecords(alice.key)).records.map((r) => r.resource.id)).toEqual(['obs-7']);
  });

  it('refuses records it cannot store, naming why', async () => {
    const store = await open(newDir());
    expect((await rejection(store.putRecords('', 'cdr', [observation(1)]))).code).toBe('invalid-input');
    expect((await rejection(store.putRecords(alice.key, 'lis', [observation(1, 'cdr')]))).message).toMatch(
      /"cdr" was handed over as "lis"/,
    );
    const noType = { ...observation(1), resource: { id: 'x' } } as unknown as ReturnType<typeof observation>;
    expect((await rejection(store.putRecords(alice.key, 'cdr', [noType]))).code).toBe('invalid-input');
    expect((await rejection(store.recordSyncState(alice.key, 'cdr', { syncedAt: '' }))).code).toBe('invalid-input');
  });

  it('keeps sync state per source, sealed', async () => {
    const store = await open(newDir());
    await store.recordSyncState(alice.key, 'cdr', { syncedAt: '2026-01-02T03:04:05Z', etag: 'W/"MRN-Q770001-7"' });
    await store.recordSyncState(alice.key, 'lis', { syncedAt: '2026-01-03T00:00:00Z' });
    expect(await store.getSyncState(alice.key)).toEqual({
      cdr: { syncedAt: '2026-01-02T03:04:05Z', etag: 'W/"MRN-Q770001-7"' },
      lis: { syncedAt: '2026-01-03T00:00:00Z' },
    });
    expect(await store.getSyncState(bob.key)).toEqual({});
  });

  it('lists patients and finds them by identifier through the blind index', async () => {
    const store = await open(newDir());
    await store.putRecords(alice.key, 'cdr', [patientResource(alice)]);
    await store.indexIdentifiers(alice.key, [alice.idCard.slice(0, 17) + 'x', alice.mrn]);
    await store.indexIdentifiers(bob.key, [bob.mrn]);
    expect((await store.listPatients()).map((p) => p.patientKey).sort()).toEqual([alice.key, bob.key].sort());
    expect(await store.findPatientsByIdentifier(alice.idCard.slice(0, 17) + 'X')).toEqual([alice.key]);
    expect(await store.findPatientsByIdentifier(` ${bob.mrn.toLowerCase()} `)).toEqual([bob.key]);
    expect(await store.findPatientsByIdentifier('MRN-nobody')).toEqual([]);
    expect(await store.hasPatient(alice.key)).toBe(true);
    expect(await store.hasPatient('nobody')).toBe(false);
  });

  it('refuses use after close', async () => {
    const store = await open(newDir());
    reopenable(store);
    expect((await rejection(store.getRecords(alice.key))).code).toBe('closed');
  });
});

describe('authenticated encryption binds each ciphertext to its row', () => {
  async function twoPatients() {
    const dir = newDir();
    const store = await open(dir);
    await store.putRecords(alice.key, 'cdr', [observation(1), observation(2)]);
    await store.putRecords(bob.key, 'cdr', [observation(3)]);
    return { dir, store };
  }

  it('refuses a ciphertext moved to another record of the same patient, and still reads the rest', async () => {
    const { dir, store } = await twoPatients();
    const db = raw(dir);
    const rows = db.prepare('SELECT rowid, sealed FROM records ORDER BY rowid').all();
    db.prepare('UPDATE records SET sealed = ? WHERE rowid = ?').run(rows[0]!.sealed as Uint8Array, Number(rows[1]!.rowid));
    db.close();
    const { records, failures } = await store.getRecords(alice.key);
    expect(records.map((r) => r.resource.id)).toEqual(['obs-1']);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.error.code).toBe('tampered');
    expect(JSON.stringify(failures)).not.toContain('obs-2');
    // The bad row is moved aside, so the next read is clean.
    expect((await store.getRecords(alice.key)).failures).toEqual([]);
    const check = raw(dir);
    expect(check.prepare('SELECT table_name, reason FROM quarantined_rows').all()).toEqual([
      { table_name: 'records', reason: expect.stringMatching(/^tampered/) },
    ]);
    check.close();
  });

  it('refuses a row moved to another patient, even with the key id rewritten', async () => {
    const { dir, store } = await twoPatients();
    const db = raw(dir);
    const bob_ = db.prepare('SELECT patient_ref, key_id FROM records ORDER BY rowid DESC LIMIT 1').get()!;
    // Alice's first record, relabelled as Bob's (patient and key id), as an attacker with the file could.
    db.prepare('UPDATE records SET patient_ref = ?, key_id = ? WHERE rowid = 1').run(String(bob_.patient_ref), String(bob_.key_id));
    db.close();
    const { records, failures } = await store.getRecords(bob.key);
    expect(records.map((r) => r.resource.id)).toEqual(['obs-3']);
    expect(failures.map((f) => f.error.code)).toEqual(['tampered']);
  });

  it('refuses a row whose resource type was relabelled', async () => {
    const { dir, store } = await twoPatients();
    const db = raw(dir);
    db.prepare(`UPDATE records SET resource_type = 'Condition' WHERE rowid = 1`).run();
    db.close();
    expect((await store.getRecords(alice.key)).failures.map((f) => f.error.code)).toEqual(['tampered']);
  });

  it('refuses a flipped bit in a ciphertext, and a truncated one', async () => {
    const { dir, store } = await twoPatients();
    const db = raw(dir);
    const sealed = Buffer.from(db.prepare('SELECT sealed FROM records WHERE rowid = 1').get()!.sealed as Uint8Array);
    sealed[20] = sealed[20]! ^ 0x01;
    db.prepare('UPDATE records SET sealed = ? WHERE rowid = 1').run(sealed);
    db.prepare('UPDATE records SET sealed = ? WHERE rowid = 2').run(sealed.subarray(0, 10));
    db.close();
    const { records, failures } = await store.getRecords(alice.key);
    expect(records).toEqual([]);
    expect(failures.map((f) => f.error.code).sort()).toEqual(['corrupt', 'tampered']);
  });

  it('refuses a patient whose wrapped data key was swapped with another patient', async () => {
    const { dir, store } = await twoPatients();
    reopenable(store);
    const db = raw(dir);
    const [a, b] = db.prepare('SELECT patient_ref, wrapped_key FROM patients ORDER BY rowid').all();
    db.prepare('UPDATE patients SET wrapped_key = ? WHERE patient_ref = ?').run(b!.wrapped_key as Uint8Array, String(a!.patient_ref));
    db.close();
    const again = await open(dir);
    expect((await rejection(again.getRecords(alice.key))).code).toBe('tampered');
    expect((await again.getRecords(bob.key)).records).toHaveLength(1);
  });
});

describe('keys', () => {
  it('says wrong-key for a wrong passphrase, without touching the data', async () => {
    const dir = newDir();
    const store = await open(dir);
    await store.putRecords(alice.key, 'cdr', [observation(1)]);
    reopenable(store);
    const error = await rejection(openCacheStore({ directory: dir, protector: testProtector('not the passphrase') }));
    expect(error.code).toBe('wrong-key');
    expect(error.message).toMatch(/passphrase is wrong/);
    expect((await (await open(dir)).getRecords(alice.key)).records).toHaveLength(1);
  });

  it('says key-store-changed when another backend is offered than the one that protected the key', async () => {
    const dir = newDir();
    reopenable(await open(dir));
    const error = await rejection(
      openCacheStore({ directory: dir, protector: renamedProtector(testProtector(), 'safeStorage:gnome_libsecret') }),
    );
    expect(error.code).toBe('key-store-changed');
    expect(error.message).toContain('passphrase:scrypt');
  });

  it('refuses an obfuscating backend (basic_text) unless an administrator opted in', async () => {
    const basic = renamedProtector(testProtector(), 'safeStorage:basic_text');
    expect((await rejection(openCacheStore({ directory: newDir(), protector: basic }))).code).toBe('insecure-backend');
    const store = await open(newDir(), { protector: basic, allowInsecureBackend: true });
    expect(store.openReport.keyBackend).toBe('safeStorage:basic_text');
  });

  it('maps key-store failures to clear codes', async () => {
    const unavailable: KeyProtector = {
      backendName: 'safeStorage:gnome_libsecret',
      protect: () => Promise.reject(new KeyProtectionError('unavailable', 'safeStorage:gnome_libsecret', 'keyring locked')),
      unprotect: () => Promise.reject(new Error('unused')),
    };
    expect((await rejection(openCacheStore({ directory: newDir(), protector: unavailable }))).code).toBe('key-store-unavailable');
  });

  it('says wrong-key when the key store opens a key that does not fit this cache', async () => {
    const dir = newDir();
    reopenable(await open(dir));
    const liar: KeyProtector = { backendName: 'passphrase:scrypt', protect: async (p) => p, unprotect: async () => new Uint8Array(32) };
    expect((await rejection(openCacheStore({ directory: dir, protector: liar }))).code).toBe('wrong-key');
  });

  it('rotates the master key (and the passphrase) by re-wrapping keys only', async () => {
    const dir = newDir();
    const store = await open(dir);
    await store.putRecords(alice.key, 'cdr', [observation(1)]);
    await store.putBlob(alice.key, 'img', new Uint8Array([9, 8, 7]));
    const db = raw(dir);
    const before = db.prepare('SELECT sealed FROM records').get()!.sealed;
    const wrappedBefore = db.prepare('SELECT wrapped_key FROM patients').get()!.wrapped_key;
    await store.rotateMasterKey(testProtector('a brand new passphrase'));
    expect(db.prepare('SELECT sealed FROM records').get()!.sealed).toEqual(before);
    expect(db.prepare('SELECT wrapped_key FROM patients').get()!.wrapped_key).not.toEqual(wrappedBefore);
    db.close();
    expect((await store.getRecords(alice.key)).records).toHaveLength(1);
    reopenable(store);
    expect((await rejection(openCacheStore({ directory: dir, protector: testProtector() }))).code).toBe('wrong-key');
    const again = await open(dir, { protector: testProtector('a brand new passphrase') });
    expect((await again.getRecords(alice.key)).records).toEqual([observation(1)]);
    expect(await again.findPatientsByIdentifier('x')).toEqual([]);
    expect(await again.getBlob(alice.key, 'img')).toEqual(new Uint8Array([9, 8, 7]));
  });
});

describe('retention and purge', () => {
  it('crypto-shreds one patient: key, rows, blob files; the WAL is truncated', async () => {
    const dir = newDir();
    const store = await open(dir);
    await store.putRecords(alice.key, 'cdr', [observation(1)]);
    await store.recordSyncState(alice.key, 'cdr', { syncedAt: '2026-01-01T00:00:00Z' });
    await store.indexIdentifiers(alice.key, [alice.mrn]);
    await store.putBlob(alice.key, 'frame-1', new Uint8Array(1000).fill(7));
    await store.putRecords(bob.key, 'cdr', [observation(2)]);
    const blobFiles = () =>
      readdirSync(join(dir, 'blobs'), { recursive: true }).filter((f) => statSync(join(dir, 'blobs', String(f))).isFile());
    expect(blobFiles()).toHaveLength(1);

    expect(await store.purgePatient(alice.key)).toBe(true);
    expect(await store.purgePatient(alice.key)).toBe(false);
    expect(blobFiles()).toHaveLength(0);
    expect(statSync(join(dir, 'cache.db-wal')).size).toBe(0);
    expect(await store.getRecords(alice.key)).toEqual({ records: [], failures: [] });
    expect(await store.findPatientsByIdentifier(alice.mrn)).toEqual([]);
    expect(store.stats()).toEqual({ patients: 1, records: 1, blobs: 0, blobBytes: 0 });
    const db = raw(dir);
    for (const table of ['sync_state', 'identifiers', 'blob_names'])
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()!.n).toBe(0);
    db.close();
  });

  it('purges patients idle beyond the policy, and everything on logout when asked', async () => {
    let now = new Date('2026-03-01T00:00:00Z');
    const store = await open(newDir(), { clock: () => now, retention: { maxIdleDays: 30, purgeOnLogout: true } });
    await store.putRecords(alice.key, 'cdr', [observation(1)]);
    now = new Date('2026-03-20T00:00:00Z');
    await store.putRecords(bob.key, 'cdr', [observation(2)]);
    now = new Date('2026-04-05T00:00:00Z');
    expect(await store.purgeExpired()).toBe(1);
    expect((await store.listPatients()).map((p) => p.patientKey)).toEqual([bob.key]);
    await store.touch(bob.key);
    expect(await store.purgeExpired(new Date('2026-05-01T00:00:00Z'))).toBe(0);
    expect(await store.onLogout()).toBe(1);
    expect(await store.listPatients()).toEqual([]);
  });

  it('keeps everything when no policy says otherwise', async () => {
    const store = await open(newDir());
    await store.putRecords(alice.key, 'cdr', [observation(1)]);
    expect(await store.purgeExpired(new Date('2099-01-01T00:00:00Z'))).toBe(0);
    expect(await store.onLogout()).toBe(0);
  });
});

describe('blobs', () => {
  it('round-trips, de-duplicates by content, and evicts least recently read beyond the budget', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const dir = newDir();
    const store = await open(dir, { blobBudgetBytes: 3 * 1100, clock: () => new Date((t += 1000)) });
    const image = (n: number) => new Uint8Array(1000).fill(n);
    await store.putBlob(alice.key, 'a', image(1));
    await store.putBlob(alice.key, 'a-copy', image(1));
    await store.putBlob(alice.key, 'b', image(2));
    await store.putBlob(bob.key, 'c', image(3));
    expect(store.stats().blobs).toBe(3);
    expect(await store.getBlob(alice.key, 'a')).toEqual(image(1)); // now the most recent
    await store.putBlob(bob.key, 'd', image(4));
    expect(store.stats().blobs).toBe(3);
    expect(await store.getBlob(alice.key, 'b')).toBeUndefined(); // the least recently used went
    expect(await store.getBlob(alice.key, 'a-copy')).toEqual(image(1));
    expect(await store.getBlob(bob.key, 'd')).toEqual(image(4));
    expect(await store.getBlob(bob.key, 'a')).toBeUndefined(); // names are per patient
  });

  it('writes reads’ access times together, and still before an eviction and at close (no transaction per frame read)', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const dir = newDir();
    const clock = () => new Date((t += 1000));
    const image = (n: number) => new Uint8Array(1000).fill(n);
    const store = await open(dir, { blobBudgetBytes: 3 * 1100, clock });
    await store.putBlob(alice.key, 'a', image(1));
    await store.putBlob(alice.key, 'b', image(2));
    await store.putBlob(alice.key, 'c', image(3));
    const accessOf = () =>
      raw(dir)
        .prepare('SELECT last_access FROM blobs ORDER BY last_access')
        .all()
        .map((r) => Number(r.last_access));
    const before = accessOf();
    for (let i = 0; i < 50; i++) expect(await store.getBlob(alice.key, 'a')).toEqual(image(1));
    expect(accessOf()).toEqual(before); // not yet written: no commit (and fsync) per read
    reopenable(store); // closing writes them
    expect(Math.max(...accessOf())).toBeGreaterThan(Math.max(...before));
    const again = await open(dir, { blobBudgetBytes: 3 * 1100, clock });
    await again.putBlob(alice.key, 'd', image(4));
    expect(await again.getBlob(alice.key, 'b')).toBeUndefined(); // the least recently read went, not 'a'
    expect(await again.getBlob(alice.key, 'a')).toEqual(image(1));
  });

  it('stores blobs written at once in shared commits: each readable as soon as its put resolves, and after a reopen', async () => {
    const dir = newDir();
    const store = await open(dir);
    const image = (n: number) => new Uint8Array(2000).fill(n);
    await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        await store.putBlob(alice.key, `frame-${i}`, image(i));
        expect(await store.getBlob(alice.key, `frame-${i}`)).toEqual(image(i));
      }),
    );
    reopenable(store);
    const again = await open(dir);
    for (let i = 0; i < 24; i++) expect(await again.getBlob(alice.key, `frame-${i}`)).toEqual(image(i));
    expect(again.stats().blobs).toBe(24);
  });

  it('checks a blob on read: a truncated or altered file is a clear error, quarantined, the rest still readable', async () => {
    const dir = newDir();
    const store = await open(dir);
    await store.putBlob(alice.key, 'one', new Uint8Array(500).fill(1));
    await store.putBlob(alice.key, 'two', new Uint8Array(500).fill(2));
    await store.putBlob(alice.key, 'three', new Uint8Array(500).fill(3));
    const db = raw(dir);
    const refs = db
      .prepare('SELECT blob_ref FROM blobs ORDER BY rowid')
      .all()
      .map((r) => String(r.blob_ref));
    db.close();
    const path = (ref: string) => join(dir, 'blobs', ref.slice(0, 2), ref);
    writeFileSync(path(refs[0]!), readFileSync(path(refs[0]!)).subarray(0, 100));
    const altered = readFileSync(path(refs[1]!));
    altered[200] = altered[200]! ^ 0xff;
    writeFileSync(path(refs[1]!), altered);

    expect((await rejection(store.getBlob(alice.key, 'one'))).code).toBe('tampered');
    expect((await rejection(store.getBlob(alice.key, 'two'))).code).toBe('tampered');
    expect(await store.getBlob(alice.key, 'three')).toEqual(new Uint8Array(500).fill(3));
    expect(await store.getBlob(alice.key, 'one')).toBeUndefined(); // dropped: the caller refetches
    expect(readdirSync(join(dir, 'quarantine'))).toHaveLength(2);
    expect(existsSync(path(refs[0]!))).toBe(false);
  });

  it('treats a missing blob file as damage, not as a crash', async () => {
    const dir = newDir();
    const store = await open(dir);
    await store.putBlob(alice.key, 'one', new Uint8Array([1]));
    const db = raw(dir);
    const ref = String(db.prepare('SELECT blob_ref FROM blobs').get()!.blob_ref);
    db.close();
    (await import('node:fs')).rmSync(join(dir, 'blobs', ref.slice(0, 2), ref));
    expect((await rejection(store.getBlob(alice.key, 'one'))).code).toBe('corrupt');
    expect(store.stats().blobs).toBe(0);
  });

  it('sweeps files left by an interrupted write at the next open', async () => {
    const dir = newDir();
    const store = await open(dir);
    await store.putBlob(alice.key, 'kept', new Uint8Array([5]));
    reopenable(store);
    writeFileSync(join(dir, 'blobs', '.tmp-orphan'), 'x', { flag: 'w' });
    const shard = readdirSync(join(dir, 'blobs')).find((n) => !n.startsWith('.'))!;
    writeFileSync(join(dir, 'blobs', shard, '.tmp-abc'), 'half');
    writeFileSync(join(dir, 'blobs', shard, 'f'.repeat(64)), 'renamed but never committed');
    const again = await open(dir);
    expect(again.openReport.orphanBlobsRemoved).toBe(2);
    expect(await again.getBlob(alice.key, 'kept')).toEqual(new Uint8Array([5]));
  });
});
