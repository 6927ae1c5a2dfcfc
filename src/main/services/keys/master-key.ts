import type { DatabaseSync } from 'node:sqlite';
import { KeyProtectionError, type KeyProtector } from '../security/index.ts';
import { KeyError } from './key-error.ts';
import { deriveIndexKeys, newKey, newKeyId, unwrapKey, wipe, wrapKey, type IndexKeys, type WrapPurpose } from './key-hierarchy.ts';

/**
 * The master key and the index key under it, kept in a `meta (name, value)` table of the
 * database they protect (the cache's). The master key itself is stored only sealed by a
 * KeyProtector (OS key store or passphrase).
 */

/** The keys an open cache holds in memory; wiped on close. */
export interface KeyRing {
  masterKey: Buffer;
  masterKeyId: string;
  indexKey: Buffer;
  index: IndexKeys;
}

const META = {
  backend: 'key_backend',
  protectedMaster: 'protected_master_key',
  masterKeyId: 'master_key_id',
  wrappedIndex: 'wrapped_index_key',
} as const;

function readMeta(db: DatabaseSync, name: string): Buffer | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE name = ?').get(name);
  return row?.value instanceof Uint8Array ? Buffer.from(row.value) : undefined;
}

function writeMeta(db: DatabaseSync, name: string, value: Uint8Array): void {
  db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value').run(name, value);
}

/** Linux's basic_text "protects" with a key compiled into Chromium: obfuscation only. */
function isInsecureBackend(backendName: string): boolean {
  return /basic_text/i.test(backendName);
}

function fromProtectionError(error: unknown, backendName: string): KeyError {
  if (error instanceof KeyProtectionError) {
    if (error.code === 'insecure-backend') return new KeyError('insecure-backend', error.message, { cause: error });
    if (error.code === 'unavailable') return new KeyError('key-store-unavailable', error.message, { cause: error });
    return new KeyError('wrong-key', `The cache key could not be opened by ${backendName}: ${error.message}`, { cause: error });
  }
  return new KeyError('wrong-key', `The cache key could not be opened by ${backendName}.`, { cause: error });
}

export interface KeyRingOptions {
  /** An administrator accepted an obfuscating backend (Linux basic_text) for this workstation. */
  allowInsecureBackend?: boolean;
}

/**
 * Opens the cache's keys with `protector`, or creates them on first use. Refuses when the
 * backend differs from the one recorded at creation (`key-store-changed`), so "the keyring
 * changed" is never mistaken for "the data is damaged".
 */
export async function openKeyRing(db: DatabaseSync, protector: KeyProtector, options: KeyRingOptions): Promise<KeyRing> {
  if (isInsecureBackend(protector.backendName) && !options.allowInsecureBackend) {
    throw new KeyError(
      'insecure-backend',
      `Patient data is not cached: the only key store is "${protector.backendName}", which does not protect keys. ` +
        'Install and unlock a keyring, or have an administrator opt in.',
    );
  }
  const recordedBackend = readMeta(db, META.backend)?.toString('utf8');
  if (recordedBackend === undefined) return createKeyRing(db, protector);
  if (recordedBackend !== protector.backendName) {
    throw new KeyError(
      'key-store-changed',
      `The cache key was protected by "${recordedBackend}" but only "${protector.backendName}" is available now.`,
    );
  }
  const sealedMaster = readMeta(db, META.protectedMaster);
  const masterKeyId = readMeta(db, META.masterKeyId)?.toString('utf8');
  const wrappedIndex = readMeta(db, META.wrappedIndex);
  if (!sealedMaster || !masterKeyId || !wrappedIndex) throw new KeyError('corrupt', 'The cache key records are incomplete.');

  let masterKey: Buffer;
  try {
    masterKey = Buffer.from(await protector.unprotect(sealedMaster));
  } catch (error) {
    throw fromProtectionError(error, protector.backendName);
  }
  try {
    const indexKey = unwrapKey(masterKey, masterKeyId, { kind: 'index' }, wrappedIndex);
    return { masterKey, masterKeyId, indexKey, index: deriveIndexKeys(indexKey) };
  } catch (error) {
    wipe(masterKey);
    // The key store opened *something*, but not the key that wrapped this cache's keys.
    throw new KeyError('wrong-key', 'The key store returned a key that does not open this cache.', { cause: error });
  }
}

async function createKeyRing(db: DatabaseSync, protector: KeyProtector): Promise<KeyRing> {
  const masterKey = newKey();
  const masterKeyId = newKeyId();
  const indexKey = newKey();
  let sealedMaster: Uint8Array;
  try {
    sealedMaster = await protector.protect(masterKey);
  } catch (error) {
    throw fromProtectionError(error, protector.backendName);
  }
  db.exec('BEGIN IMMEDIATE');
  try {
    writeMeta(db, META.backend, Buffer.from(protector.backendName, 'utf8'));
    writeMeta(db, META.protectedMaster, sealedMaster);
    writeMeta(db, META.masterKeyId, Buffer.from(masterKeyId, 'utf8'));
    writeMeta(db, META.wrappedIndex, wrapKey(masterKey, masterKeyId, { kind: 'index' }, indexKey));
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
  return { masterKey, masterKeyId, indexKey, index: deriveIndexKeys(indexKey) };
}

/**
 * Re-wraps the keys that sit under the master key besides the index key (the cache's patient
 * keys), inside the rotation's transaction: `rewrap` opens a key wrapped under the old master
 * key and returns it wrapped under the new one.
 */
export type RewrapDependents = (rewrap: (purpose: WrapPurpose, wrapped: Uint8Array) => Buffer) => void;

/**
 * A new master key (optionally under a new protector: a changed passphrase, a keyring that
 * replaced basic_text): the index key and every dependent key are re-wrapped in one transaction;
 * nothing is re-encrypted. Returns the new ring; the old master key is wiped.
 */
export async function rotateMasterKey(
  db: DatabaseSync,
  ring: KeyRing,
  protector: KeyProtector,
  rewrapDependents: RewrapDependents,
): Promise<KeyRing> {
  const masterKey = newKey();
  const masterKeyId = newKeyId();
  let sealedMaster: Uint8Array;
  try {
    sealedMaster = await protector.protect(masterKey);
  } catch (error) {
    throw fromProtectionError(error, protector.backendName);
  }
  db.exec('BEGIN IMMEDIATE');
  try {
    rewrapDependents((purpose, wrapped) => {
      const key = unwrapKey(ring.masterKey, ring.masterKeyId, purpose, wrapped);
      try {
        return wrapKey(masterKey, masterKeyId, purpose, key);
      } finally {
        wipe(key);
      }
    });
    writeMeta(db, META.backend, Buffer.from(protector.backendName, 'utf8'));
    writeMeta(db, META.protectedMaster, sealedMaster);
    writeMeta(db, META.masterKeyId, Buffer.from(masterKeyId, 'utf8'));
    writeMeta(db, META.wrappedIndex, wrapKey(masterKey, masterKeyId, { kind: 'index' }, ring.indexKey));
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    wipe(masterKey);
    throw error;
  }
  wipe(ring.masterKey);
  return { masterKey, masterKeyId, indexKey: ring.indexKey, index: ring.index };
}
