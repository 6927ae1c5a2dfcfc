import { mkdirSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { CacheError, isDatabaseDamage, toCacheError } from './cache-error.ts';
import { quarantineFiles, type QuarantineEntry } from './quarantine.ts';
import { migrate } from './schema.ts';

export const DATABASE_FILE = 'cache.db';
export const BLOB_DIR = 'blobs';

export interface OpenedDatabase {
  db: DatabaseSync;
  /** Files moved aside because the database was damaged; empty on a healthy start. */
  quarantined: QuarantineEntry[];
}

export interface OpenDatabaseOptions {
  now: Date;
  /** Test hook: SQLite's page budget, to provoke SQLITE_FULL without filling a disk. */
  maxPageCount?: number;
}

function configure(db: DatabaseSync, options: { maxPageCount?: number | undefined }): void {
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA journal_mode = WAL');
  // FULL: a committed (acknowledged) transaction survives power loss, not only a crash.
  db.exec('PRAGMA synchronous = FULL');
  // Freed pages are zeroed, so a purged patient's ciphertext and wrapped key do not linger.
  db.exec('PRAGMA secure_delete = ON');
  db.exec('PRAGMA foreign_keys = ON');
  if (options.maxPageCount !== undefined) db.exec(`PRAGMA max_page_count = ${Math.floor(options.maxPageCount)}`);
}

function integrityProblems(db: DatabaseSync): string[] {
  const rows = db.prepare('PRAGMA integrity_check').all();
  const messages = rows.map((row) => String(row.integrity_check));
  return messages.length === 1 && messages[0] === 'ok' ? [] : messages;
}

function tryOpen(path: string, options: OpenDatabaseOptions): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    configure(db, options);
    const problems = integrityProblems(db);
    if (problems.length > 0) {
      throw new CacheError('corrupt', `The cache database failed its integrity check: ${problems.slice(0, 3).join('; ')}`);
    }
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens (or creates) the cache database in WAL mode. A damaged database — unreadable header,
 * malformed pages, failed integrity check — is moved to quarantine with its WAL, together with
 * the blob files encrypted under its keys, and a fresh database is created; the caller learns
 * what was moved from `quarantined`.
 */
export function openDatabase(cacheDir: string, options: OpenDatabaseOptions): OpenedDatabase {
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  const path = join(cacheDir, DATABASE_FILE);
  try {
    return { db: tryOpen(path, options), quarantined: [] };
  } catch (error) {
    const damaged = isDatabaseDamage(error) || (error instanceof CacheError && error.code === 'corrupt');
    if (!damaged) throw toCacheError(error, 'opening the cache database');
    const reason = error instanceof Error ? error.message : String(error);
    const quarantined = quarantineFiles(
      cacheDir,
      [path, `${path}-wal`, `${path}-shm`, join(cacheDir, BLOB_DIR)],
      `damaged database: ${reason}`,
      options.now,
    );
    try {
      return { db: tryOpen(path, options), quarantined };
    } catch (second) {
      throw toCacheError(second, 'creating a fresh cache database after quarantining a damaged one');
    }
  }
}

/**
 * A second connection to a cache database that `openDatabase` already opened (checked and
 * migrated): the record writer's, in its own thread. Same settings, so its commits are as durable.
 */
export function openWriterConnection(cacheDir: string, maxPageCount?: number): DatabaseSync {
  const db = new DatabaseSync(join(cacheDir, DATABASE_FILE));
  try {
    configure(db, { maxPageCount });
    return db;
  } catch (error) {
    db.close();
    throw toCacheError(error, 'opening the cache writer connection');
  }
}
