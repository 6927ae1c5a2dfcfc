import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCacheStore } from '../../../../../src/main/services/cache/cache-store.ts';
import { observation, syntheticPatient, tempCacheDir, testProtector } from '../../../../support/cache-fixtures.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('the cache store', () => {
  it("records a patient's last access once a minute at most: reads of an open patient do not each commit", async () => {
    const { dir, cleanup } = tempCacheDir('touch');
    let now = new Date('2026-03-01T08:00:00Z');
    const store = await openCacheStore({ directory: dir, protector: testProtector(), clock: () => now });
    cleanups.push(() => {
      store.close();
      cleanup();
    });
    const alice = syntheticPatient(1);
    await store.putRecords(alice.key, 'cdr', [observation(1)]);
    const lastAccess = async () => (await store.listPatients())[0]!.lastAccess;
    const db = new DatabaseSync(join(dir, 'cache.db'), { readOnly: true });
    cleanups.unshift(() => db.close());
    const commits = () => Number(db.prepare('PRAGMA data_version').get()!.data_version);
    now = new Date('2026-03-01T08:00:10Z');
    await store.touch(alice.key);
    expect(await lastAccess()).toBe('2026-03-01T08:00:10.000Z');
    const before = commits();
    now = new Date('2026-03-01T08:00:50Z');
    await store.touch(alice.key);
    expect(commits()).toBe(before);
    expect(await lastAccess()).toBe('2026-03-01T08:00:10.000Z');
    now = new Date('2026-03-01T08:01:20Z');
    await store.touch(alice.key);
    expect(await lastAccess()).toBe('2026-03-01T08:01:20.000Z');
  });
});
