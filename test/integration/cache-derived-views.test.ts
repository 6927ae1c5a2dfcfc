import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CacheError } from '../../src/main/services/cache/cache-error.ts';
import { openCacheStore, type CacheStore } from '../../src/main/services/cache/cache-store.ts';
import { observation, patientResource, syntheticPatient, tempCacheDir, testProtector } from '../support/cache-fixtures.ts';
import { rejectionOf } from '../support/rejection.ts';

const cleanups: (() => void)[] = [];
const stores: CacheStore[] = [];
afterEach(() => {
  stores.splice(0).forEach((s) => s.close());
  cleanups.splice(0).forEach((c) => c());
});

async function fresh(): Promise<{ store: CacheStore; dir: string }> {
  const { dir, cleanup } = tempCacheDir('views');
  cleanups.push(cleanup);
  const store = await openCacheStore({ directory: dir, protector: testProtector() });
  stores.push(store);
  return { store, dir };
}

const Value = z.object({ title: z.string(), rows: z.array(z.number()) });
const VALUE = { title: '血糖 trend', rows: [1, 2, 3] };
const A = syntheticPatient(0);
const B = syntheticPatient(1);

/** Two cached system records of one person, as the workstation keeps them. */
async function twoMembers(store: CacheStore) {
  const ra = await store.putRecords(A.key, 'cdr', [patientResource(A), observation(1)]);
  const rb = await store.putRecords(B.key, 'lis', [observation(2, 'lis')]);
  return [
    { patientKey: A.key, revision: ra },
    { patientKey: B.key, revision: rb },
  ];
}

function rawRows(dir: string, sql: string): Record<string, unknown>[] {
  const db = new DatabaseSync(join(dir, 'cache.db'), { readOnly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, CacheError);

describe('derived views in the encrypted cache', () => {
  it('round-trips a view derived from several patients, whatever order they are listed in', async () => {
    const { store } = await fresh();
    const members = await twoMembers(store);
    expect(await store.putView('first-screen', members, VALUE)).toBe(true);
    expect(await store.getView('first-screen', [B.key, A.key], Value)).toEqual(VALUE);
    expect(await store.getView('first-screen', [A.key, B.key], Value)).toEqual(VALUE);
  });

  it('is another view for another member set or another name', async () => {
    const { store } = await fresh();
    await store.putView('first-screen', await twoMembers(store), VALUE);
    expect(await store.getView('first-screen', [A.key], Value)).toBeUndefined();
    expect(await store.getView('other', [A.key, B.key], Value)).toBeUndefined();
  });

  it('survives a reopen (keys unwrapped again)', async () => {
    const { store, dir } = await fresh();
    await store.putView('first-screen', await twoMembers(store), VALUE);
    store.close();
    const reopened = await openCacheStore({ directory: dir, protector: testProtector() });
    stores.push(reopened);
    expect(await reopened.getView('first-screen', [A.key, B.key], Value)).toEqual(VALUE);
  });

  it.each([
    ['new records', (s: CacheStore) => s.putRecords(B.key, 'lis', [observation(3, 'lis')])],
    ['a new sync state', (s: CacheStore) => s.recordSyncState(B.key, 'lis', { syncedAt: '2026-02-01T00:00:00Z' })],
  ])('is ignored and dropped once a member has %s', async (_what, change) => {
    const { store, dir } = await fresh();
    await store.putView('first-screen', await twoMembers(store), VALUE);
    await change(store);
    expect(await store.getView('first-screen', [A.key, B.key], Value)).toBeUndefined();
    expect(rawRows(dir, 'SELECT count(*) AS n FROM views')[0]!.n).toBe(0);
  });

  it('does not change with reads, touches or identifier indexing', async () => {
    const { store } = await fresh();
    const members = await twoMembers(store);
    await store.putView('first-screen', members, VALUE);
    await store.getRecords(A.key);
    await store.touch(A.key);
    await store.indexIdentifiers(A.key, [A.mrn]);
    expect(await store.getView('first-screen', [A.key, B.key], Value)).toEqual(VALUE);
  });

  it('refuses to store a view derived from a revision that is no longer current', async () => {
    const { store } = await fresh();
    const members = await twoMembers(store);
    await store.putRecords(A.key, 'cdr', [observation(9)]);
    expect(await store.putView('first-screen', members, VALUE)).toBe(false);
    expect(await store.getView('first-screen', [A.key, B.key], Value)).toBeUndefined();
  });

  it('stores a view over a member that is not cached only while it stays uncached', async () => {
    const { store } = await fresh();
    const ra = await store.putRecords(A.key, 'cdr', [observation(1)]);
    const members = [
      { patientKey: A.key, revision: ra },
      { patientKey: B.key, revision: undefined },
    ];
    expect(await store.putView('first-screen', members, VALUE)).toBe(true);
    expect(await store.getView('first-screen', [A.key, B.key], Value)).toEqual(VALUE);
    await store.putRecords(B.key, 'lis', [observation(2, 'lis')]);
    expect(await store.getView('first-screen', [A.key, B.key], Value)).toBeUndefined();
    expect(await store.putView('first-screen', [{ patientKey: B.key, revision: undefined }], VALUE)).toBe(false);
  });

  it('goes with a purge of any one member, and a re-created member does not revive it', async () => {
    const { store, dir } = await fresh();
    const members = await twoMembers(store);
    await store.putView('first-screen', members, VALUE);
    await store.purgePatient(B.key);
    expect(rawRows(dir, 'SELECT count(*) AS n FROM views')[0]!.n).toBe(0);
    expect(rawRows(dir, 'SELECT count(*) AS n FROM view_members')[0]!.n).toBe(0);
    await store.putRecords(B.key, 'lis', [observation(2, 'lis')]);
    expect(await store.getView('first-screen', [A.key, B.key], Value)).toBeUndefined();
    // The old revision string names the shredded key: it can never match again.
    expect(await store.putView('first-screen', members, VALUE)).toBe(false);
  });

  it('stays readable after the master key is rotated (data keys are only re-wrapped)', async () => {
    const { store } = await fresh();
    await store.putView('first-screen', await twoMembers(store), VALUE);
    await store.rotateMasterKey();
    expect(await store.getView('first-screen', [A.key, B.key], Value)).toEqual(VALUE);
  });

  it('goes with purgeAll', async () => {
    const { store, dir } = await fresh();
    await store.putView('first-screen', await twoMembers(store), VALUE);
    await store.purgeAll();
    expect(rawRows(dir, 'SELECT count(*) AS n FROM views')[0]!.n).toBe(0);
  });

  it('refuses a view whose ciphertext was changed or moved to another view, and drops it', async () => {
    const { store, dir } = await fresh();
    const members = await twoMembers(store);
    await store.putView('first-screen', members, VALUE);
    await store.putView('second', members, { title: 'other', rows: [] });
    const db = new DatabaseSync(join(dir, 'cache.db'));
    const rows = db.prepare('SELECT view_ref, sealed FROM views ORDER BY view_ref').all();
    // Swap the two views' ciphertexts: each now sits under the other's AAD.
    db.prepare('UPDATE views SET sealed = ? WHERE view_ref = ?').run(rows[1]!.sealed as Uint8Array, String(rows[0]!.view_ref));
    db.prepare('UPDATE views SET sealed = ? WHERE view_ref = ?').run(rows[0]!.sealed as Uint8Array, String(rows[1]!.view_ref));
    db.close();
    const error = await rejection(store.getView('first-screen', [A.key, B.key], Value));
    expect(error.code).toBe('tampered');
    expect(error.message).not.toContain('血糖');
    expect(await store.getView('first-screen', [A.key, B.key], Value)).toBeUndefined();
  });

  it('refuses a view that decrypts to another shape as corrupt', async () => {
    const { store } = await fresh();
    await store.putView('first-screen', await twoMembers(store), { title: 42 });
    const error = await rejection(store.getView('first-screen', [A.key, B.key], Value));
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain('title');
  });

  it.each([
    ['an empty name', () => ['', [A.key]] as const],
    ['no members', () => ['v', []] as const],
    ['a member twice', () => ['v', [A.key, A.key]] as const],
    ['an empty patient key', () => ['v', ['']] as const],
  ])('rejects %s as invalid input', async (_what, args) => {
    const { store } = await fresh();
    const [name, keys] = args();
    expect((await rejection(store.getView(name, keys, Value))).code).toBe('invalid-input');
    const members = keys.map((patientKey) => ({ patientKey, revision: 'x:1' }));
    expect((await rejection(store.putView(name, members, VALUE))).code).toBe('invalid-input');
  });

  it('upgrades a version-1 cache: records stay readable, patients start at revision 0', async () => {
    const { store, dir } = await fresh();
    await store.putRecords(A.key, 'cdr', [observation(1)]);
    stores.splice(0).forEach((s) => s.close());
    // Take the database back to what release 1 wrote.
    const db = new DatabaseSync(join(dir, 'cache.db'));
    db.exec(`DROP TRIGGER views_follow_members; DROP TABLE view_members; DROP TABLE views;
             ALTER TABLE patients DROP COLUMN revision; UPDATE schema_version SET version = 1`);
    db.close();
    const upgraded = await openCacheStore({ directory: dir, protector: testProtector() });
    stores.push(upgraded);
    expect(rawRows(dir, 'SELECT version FROM schema_version')[0]!.version).toBe(2);
    expect((await upgraded.getRecords(A.key)).records).toHaveLength(1);
    const revision = await upgraded.revisionOf(A.key);
    expect(revision).toMatch(/^[0-9a-f]+:0$/);
    expect(await upgraded.putView('first-screen', [{ patientKey: A.key, revision }], VALUE)).toBe(true);
    expect(await upgraded.getView('first-screen', [A.key], Value)).toEqual(VALUE);
  });
});
