import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheError, openCacheStore } from '../../../src/main/services/cache/index.ts';
import { observation, syntheticPatient, tempCacheDir, testProtector } from '../../support/cache-fixtures.ts';
import { rejectionOf } from '../../support/rejection.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A cache with one patient whose wrapped data key was then changed on disk. */
async function cacheWithDamagedPatientKey(): Promise<{ dir: string; patientKey: string }> {
  const { dir, cleanup } = tempCacheDir('boundary');
  cleanups.push(cleanup);
  const patientKey = syntheticPatient(7).key;
  const store = await openCacheStore({ directory: dir, protector: testProtector() });
  await store.putRecords(patientKey, 'cdr', [observation(1)], { syncState: { syncedAt: '2026-01-01T00:00:00Z' } });
  store.close();
  const db = new DatabaseSync(join(dir, 'cache.db'));
  const row = db.prepare('SELECT wrapped_key FROM patients').get() as { wrapped_key: Uint8Array };
  const flipped = Buffer.from(row.wrapped_key);
  flipped[flipped.length - 1]! ^= 1;
  db.prepare('UPDATE patients SET wrapped_key = ?').run(flipped);
  db.close();
  return { dir, patientKey };
}

describe('the key module’s errors leave the cache store as CacheError', () => {
  it('says tampered, as a CacheError, for every read that needs the damaged key', async () => {
    const { dir, patientKey } = await cacheWithDamagedPatientKey();
    const store = await openCacheStore({ directory: dir, protector: testProtector() });
    try {
      expect((await rejectionOf(store.getSyncState(patientKey), CacheError)).code).toBe('tampered');
      expect((await rejectionOf(store.getRecords(patientKey), CacheError)).code).toBe('tampered');
      expect((await rejectionOf(store.listPatients(), CacheError)).code).toBe('tampered');
      expect((await rejectionOf(store.rotateMasterKey(), CacheError)).code).toBe('tampered');
    } finally {
      store.close();
    }
  });

  it('says wrong-key, as a CacheError, for another passphrase', async () => {
    const { dir } = await cacheWithDamagedPatientKey();
    const error = await rejectionOf(openCacheStore({ directory: dir, protector: testProtector('another passphrase 汇诊') }), CacheError);
    expect(error.code).toBe('wrong-key');
  });
});
