import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheError } from '../../../../../src/main/services/cache/index.ts';
import { createStoreContext } from '../../../../../src/main/services/cache/store-context.ts';
import { blindRef, type KeyRing } from '../../../../../src/main/services/keys/index.ts';

const dbs: DatabaseSync[] = [];
afterEach(() => dbs.splice(0).forEach((db) => db.close()));

function ringWith(blind: Buffer): KeyRing {
  const key = randomBytes(32);
  return { masterKey: key, masterKeyId: 'test', indexKey: key, index: { blind, blobName: randomBytes(32) } };
}

function context(ring: KeyRing) {
  const db = new DatabaseSync(':memory:');
  dbs.push(db);
  return createStoreContext({
    db,
    ring,
    fs: {} as never,
    directory: '/nowhere',
    blobDir: '/nowhere',
    clock: () => new Date(),
    isClosed: () => false,
  });
}

describe('the store context', () => {
  it('names a patient by the same blind ref however often it is asked (memoised), and anew under a new key ring', () => {
    const first = randomBytes(32);
    const ctx = context(ringWith(first));
    const ref = ctx.patientRefOf('lis:P1');
    expect(ref).toBe(blindRef(first, 'patient', 'lis:P1'));
    expect(ctx.patientRefOf('lis:P1')).toBe(ref);
    expect(ctx.patientRefOf('lis:P2')).toBe(blindRef(first, 'patient', 'lis:P2'));
    const second = randomBytes(32);
    ctx.keys.ring = ringWith(second);
    expect(ctx.patientRefOf('lis:P1')).toBe(blindRef(second, 'patient', 'lis:P1'));
  });

  it('still refuses an empty patient key with a typed error', () => {
    const ctx = context(ringWith(randomBytes(32)));
    expect(() => ctx.patientRefOf('')).toThrow(CacheError);
  });
});
