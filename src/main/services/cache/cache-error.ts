import { KeyError } from '../keys/index.ts';

/**
 * The one error the cache throws. Every code maps to something the shell can say plainly
 * ("the key store changed", "the disk is full"); no code ever carries decrypted bytes.
 */
export type CacheErrorCode =
  /** The master key could not be opened: wrong passphrase, another OS user or keyring. */
  | 'wrong-key'
  /** Authenticated decryption failed: bytes changed, or a ciphertext moved to another row. */
  | 'tampered'
  /** Bytes that cannot even be parsed: truncated files, a damaged database page, bad JSON. */
  | 'corrupt'
  /** The key was protected by another backend than the one offered now (e.g. keyring → passphrase). */
  | 'key-store-changed'
  /** The key-protection backend is missing (no keyring, app not ready). */
  | 'key-store-unavailable'
  /** The only backend obfuscates (Linux basic_text) and no administrator opted in. */
  | 'insecure-backend'
  /** The disk (or the database's page budget) is full; the write was not acknowledged. */
  | 'disk-full'
  /** The cache was written by a newer release of Huizhen; it is left untouched. */
  | 'unsupported-version'
  /** The store was used after close(). */
  | 'closed'
  /** The caller handed over something the cache cannot store (e.g. a record without resourceType). */
  | 'invalid-input'
  /** Any other file-system or database failure. */
  | 'io';

export class CacheError extends Error {
  readonly code: CacheErrorCode;

  constructor(code: CacheErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CacheError';
    this.code = code;
  }
}

/** SQLite's primary result codes that mean "out of space" (SQLITE_FULL) or a damaged file. */
const SQLITE_FULL = 13;
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;
const SQLITE_IOERR = 10;

interface ErrorWithCodes {
  code?: unknown;
  errcode?: unknown;
}

function codesOf(error: unknown): ErrorWithCodes {
  return typeof error === 'object' && error !== null ? (error as ErrorWithCodes) : {};
}

/** True for node:sqlite errors that say the database file itself is damaged. */
export function isDatabaseDamage(error: unknown): boolean {
  const { code, errcode } = codesOf(error);
  if (code !== 'ERR_SQLITE_ERROR' || typeof errcode !== 'number') return false;
  const primary = errcode & 0xff;
  return primary === SQLITE_CORRUPT || primary === SQLITE_NOTADB;
}

/** True for an out-of-space failure from the file system (ENOSPC, EDQUOT) or from SQLite. */
export function isDiskFull(error: unknown): boolean {
  const { code, errcode } = codesOf(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  if (code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number') {
    const primary = errcode & 0xff;
    // SQLite reports a full disk during a WAL write as SQLITE_IOERR_WRITE on some paths; the
    // message is the only thing that tells the two apart.
    if (primary === SQLITE_FULL) return true;
    if (primary === SQLITE_IOERR && /disk is full|no space/i.test(String((error as Error).message))) return true;
  }
  return false;
}

/**
 * The cache's error for an error it already knows: itself, or the key module's (whose codes are
 * the cache's own, passed on with their message and cause). Undefined for anything else.
 */
export function asCacheError(error: unknown): CacheError | undefined {
  if (error instanceof CacheError) return error;
  if (error instanceof KeyError) return new CacheError(error.code, error.message, { cause: error.cause });
  return undefined;
}

/** Wraps an unknown failure of a write into the cache's vocabulary, keeping the cause. */
export function toCacheError(error: unknown, doing: string): CacheError {
  const known = asCacheError(error);
  if (known) return known;
  if (isDiskFull(error)) {
    return new CacheError('disk-full', `The disk is full while ${doing}; nothing of this write was kept.`, { cause: error });
  }
  if (isDatabaseDamage(error)) {
    return new CacheError('corrupt', `The cache database is damaged (while ${doing}).`, { cause: error });
  }
  return new CacheError('io', `The cache failed while ${doing}: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}
