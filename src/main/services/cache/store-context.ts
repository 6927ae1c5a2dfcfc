import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { blindRef, type KeyRing } from '../keys/index.ts';
import type { BlobFs } from './blob-files.ts';
import { CacheError, toCacheError } from './cache-error.ts';

/**
 * What every part of an open cache store shares: the database, the keys (replaced on
 * rotation, hence a holder), the clock and the transaction discipline.
 */
export interface StoreContext {
  db: DatabaseSync;
  keys: { ring: KeyRing };
  fs: BlobFs;
  directory: string;
  blobDir: string;
  clock: () => Date;
  nowMs(): number;
  /** Throws `closed` once the store was closed. */
  ensureOpen(): void;
  /** The patient's blind reference: what rows are keyed by instead of the patient key. */
  patientRefOf(patientKey: string): string;
  /** Runs `body` in one IMMEDIATE transaction; a failure rolls back and becomes a CacheError. */
  transaction<T>(doing: string, body: () => T): T;
  /** Inside a transaction: the patient's records or sync state changed. */
  bumpRevision(patientRef: string): void;
  /** Moves the WAL's content into the database and truncates the WAL to zero bytes. */
  checkpoint(): void;
}

const PatientKeySchema = z.string().min(1, 'a patient key must not be empty');

export function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new CacheError('invalid-input', `${what}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}

function runTransaction<T>(db: DatabaseSync, doing: string, body: () => T): T {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    throw toCacheError(error, doing);
  }
  try {
    const result = body();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // A failed rollback leaves SQLite to recover the journal on the next open.
      }
    }
    throw toCacheError(error, doing);
  }
}

export interface ContextParts {
  db: DatabaseSync;
  ring: KeyRing;
  fs: BlobFs;
  directory: string;
  blobDir: string;
  clock: () => Date;
  isClosed: () => boolean;
}

/** Patient refs remembered at most; past it the memo starts over (a ward's patients fit many times). */
const PATIENT_REFS_KEPT = 4096;

export function createStoreContext(parts: ContextParts): StoreContext {
  const { db, clock } = parts;
  const keys = { ring: parts.ring };
  // Every write and read names its patient by this HMAC, several times per transaction; under a
  // stream of broker events it was ~7 % of the main thread (a profile at 200 events/s). Memoised
  // per blind key: a new key ring starts a new memo.
  let memoKey: Uint8Array | undefined;
  const memo = new Map<string, string>();
  const patientRefOf = (patientKey: string): string => {
    const blind = keys.ring.index.blind;
    if (memoKey !== blind) {
      memo.clear();
      memoKey = blind;
    }
    const known = memo.get(patientKey);
    if (known !== undefined) return known;
    const ref = blindRef(blind, 'patient', checked(PatientKeySchema, patientKey, 'patient key'));
    if (memo.size >= PATIENT_REFS_KEPT) memo.clear();
    memo.set(patientKey, ref);
    return ref;
  };
  return {
    db,
    keys,
    fs: parts.fs,
    directory: parts.directory,
    blobDir: parts.blobDir,
    clock,
    nowMs: () => clock().getTime(),
    ensureOpen() {
      if (parts.isClosed()) throw new CacheError('closed', 'The cache store was closed.');
    },
    patientRefOf,
    transaction: (doing, body) => runTransaction(db, doing, body),
    bumpRevision(patientRef) {
      db.prepare('UPDATE patients SET revision = revision + 1 WHERE patient_ref = ?').run(patientRef);
    },
    checkpoint() {
      try {
        db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      } catch (error) {
        throw toCacheError(error, 'checkpointing the write-ahead log');
      }
    },
  };
}
