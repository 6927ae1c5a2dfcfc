import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { blindRef, open, seal } from '../keys/index.ts';
import { blobPath, removeFile, writeFileAtomically } from './blob-files.ts';
import { asCacheError, CacheError, toCacheError } from './cache-error.ts';
import type { CacheStore } from './cache-store.ts';
import type { PatientKeys } from './patient-keys.ts';
import { quarantineFiles } from './quarantine.ts';
import { aad } from './record-codec.ts';
import { checked, type StoreContext } from './store-context.ts';

/**
 * Large binaries (DICOM instances, frames) as sealed files named by a keyed content hash, with
 * rows in the database; beyond the size budget the least recently read are evicted.
 */
export type BlobStore = Pick<CacheStore, 'putBlob' | 'getBlob'>;

/** One blob's rows: its file (content address, key, size) and the name it is stored under. */
interface BlobRow {
  blobRef: string;
  patientRef: string;
  keyId: string;
  size: number;
  now: number;
  nameRef: string;
}

const BlobNameSchema = z.string().min(1, 'a blob name must not be empty');

/**
 * A row waits at most this long for the files being written beside it, to share their commit.
 * Only stores that overlap wait (a lone store commits at once); the viewer already has the image.
 */
const ROW_COMMIT_WAIT_MS = 50;

interface RowBatch {
  rows: BlobRow[];
  committed: Promise<void>;
  commit(): void;
}

/**
 * Rows of blobs whose files are written, committed together: node:sqlite commits synchronously
 * (synchronous = FULL: an fsync of the WAL), and one commit per frame blocked the event loop
 * ≈ 11 ms each — 2.2 s of a cold 200-frame series' 6.9 s of proxy CPU (docs/benchmarks.md).
 * A row waits while other blobs' files are still being written (up to ROW_COMMIT_WAIT_MS), so
 * a series' frames share a few commits instead of one each (≈ 1.25 s of a cold pass's main
 * thread, measured with six frames in flight, when only rows ready in the same tick joined).
 * Each caller still resolves only once its row is committed (a row never points at a missing
 * file, and a stored blob is readable at once).
 */
function batchedRowWriter(ctx: StoreContext): {
  storeRow(row: BlobRow): Promise<void>;
  writingFile<T>(write: () => Promise<T>): Promise<T>;
} {
  const { db } = ctx;
  let rowBatch: RowBatch | undefined;
  let filesBeingWritten = 0;

  function write(rows: readonly BlobRow[]): void {
    // These rows only index image copies the PACS still holds: after a power loss they may be
    // missing (their files are then orphans, swept at the next open), never inconsistent (WAL).
    // So their commit skips the WAL fsync that synchronous = FULL makes on the event loop
    // (≈ 5–10 ms each on this loaded disk); every other transaction keeps FULL.
    db.exec('PRAGMA synchronous = NORMAL');
    try {
      writeRows(rows);
    } finally {
      db.exec('PRAGMA synchronous = FULL');
    }
  }

  function writeRows(rows: readonly BlobRow[]): void {
    ctx.transaction('storing an image', () => {
      const blob = db.prepare(
        `INSERT INTO blobs (blob_ref, patient_ref, key_id, size, last_access) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (blob_ref) DO UPDATE SET last_access = excluded.last_access`,
      );
      const named = db.prepare(
        `INSERT INTO blob_names (patient_ref, name_ref, blob_ref) VALUES (?, ?, ?)
             ON CONFLICT (patient_ref, name_ref) DO UPDATE SET blob_ref = excluded.blob_ref`,
      );
      const patient = db.prepare('UPDATE patients SET last_access = max(last_access, ?) WHERE patient_ref = ?');
      for (const r of rows) {
        blob.run(r.blobRef, r.patientRef, r.keyId, r.size, r.now);
        named.run(r.patientRef, r.nameRef, r.blobRef);
        patient.run(r.now, r.patientRef);
      }
    });
  }

  function newBatch(row: BlobRow): RowBatch {
    let settle: { resolve(): void; reject(error: Error): void } = { resolve: () => {}, reject: () => {} };
    const batch: RowBatch = {
      rows: [row],
      committed: new Promise<void>((resolve, reject) => (settle = { resolve, reject })),
      commit() {
        if (rowBatch !== batch) return;
        rowBatch = undefined;
        clearTimeout(timer);
        try {
          write(batch.rows);
          settle.resolve();
        } catch (error) {
          settle.reject(error instanceof Error ? error : new Error(String(error)));
        }
      },
    };
    const timer = setTimeout(() => batch.commit(), ROW_COMMIT_WAIT_MS);
    setImmediate(() => {
      if (filesBeingWritten === 0) batch.commit();
    });
    return batch;
  }

  return {
    storeRow(row) {
      if (rowBatch) {
        rowBatch.rows.push(row);
        return rowBatch.committed;
      }
      rowBatch = newBatch(row);
      return rowBatch.committed;
    },
    async writingFile(writeFile) {
      filesBeingWritten++;
      try {
        return await writeFile();
      } finally {
        filesBeingWritten--;
        const waiting = rowBatch;
        if (filesBeingWritten === 0 && waiting) setImmediate(() => waiting.commit());
      }
    },
  };
}

/**
 * How long reads' access times wait to be written together. Each write is a transaction, and the
 * cache's database commits with synchronous = FULL: one fsync per frame read made a warm 200-frame
 * series 2.4–3.0 s of disk waits instead of 0.35 s (docs/benchmarks.md).
 */
const READ_ACCESS_FLUSH_MS = 1000;

export function createBlobStore(
  ctx: StoreContext,
  patientKeys: PatientKeys,
  blobBudgetBytes: number | undefined,
): BlobStore & { flushReadAccess(): void } {
  const { db, fs, blobDir } = ctx;
  /** Blob → when it was last read, not yet in the database. */
  const pendingReads = new Map<string, number>();
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  const { storeRow, writingFile } = batchedRowWriter(ctx);

  /** Content address of a blob: keyed, so equal images are equal refs but the ref reveals nothing. */
  function contentRef(patientRef: string, plain: Uint8Array): string {
    return createHmac('sha256', ctx.keys.ring.index.blobName).update(patientRef).update('\0').update(plain).digest('hex');
  }

  async function evictBeyondBudget(keep: string): Promise<void> {
    if (blobBudgetBytes === undefined) return;
    const budget = blobBudgetBytes;
    // Evict by the true order of reads, including those still waiting to be written.
    flushReadAccess();
    const victims: string[] = [];
    ctx.transaction('evicting images beyond the size budget', () => {
      let total = Number(db.prepare('SELECT coalesce(sum(size), 0) AS total FROM blobs').get()?.total ?? 0);
      const oldest = db.prepare('SELECT blob_ref, size FROM blobs WHERE blob_ref != ? ORDER BY last_access ASC LIMIT 64');
      const remove = db.prepare('DELETE FROM blobs WHERE blob_ref = ?');
      while (total > budget) {
        const rows = oldest.all(keep);
        if (rows.length === 0) break;
        for (const row of rows) {
          if (total <= budget) break;
          remove.run(String(row.blob_ref));
          victims.push(String(row.blob_ref));
          total -= Number(row.size);
        }
      }
    });
    for (const ref of victims) await removeFile(fs, blobPath(blobDir, ref)).catch(() => undefined);
  }

  async function dropDamaged(blobRef: string, reason: string): Promise<void> {
    const path = blobPath(blobDir, blobRef);
    try {
      quarantineFiles(ctx.directory, [path], reason, ctx.clock());
    } catch {
      await removeFile(fs, path).catch(() => undefined);
    }
    ctx.transaction('dropping a damaged image', () => {
      db.prepare('DELETE FROM blobs WHERE blob_ref = ?').run(blobRef);
    });
  }

  async function readSealed(blobRef: string): Promise<Buffer> {
    try {
      return await fs.readFile(blobPath(blobDir, blobRef));
    } catch (error) {
      await dropDamaged(blobRef, 'missing file');
      throw new CacheError('corrupt', 'A cached image file is missing; it was dropped from the cache.', { cause: error });
    }
  }

  /**
   * Opens a blob; a damaged one is dropped. The content address is not hashed again: the GCM tag
   * covers the address (in the additional data) with the bytes, so a file that opens is the one
   * sealed for this address — a second keyed hash of 525 kB cost ≈ 1 ms a frame on a warm series.
   */
  async function openChecked(patientRef: string, blobRef: string, keyId: string, key: Buffer, sealed: Buffer): Promise<Buffer> {
    try {
      return open(key, sealed, aad.blob(patientRef, blobRef, keyId), 'A cached image');
    } catch (error) {
      const cacheError = asCacheError(error) ?? new CacheError('corrupt', 'A cached image could not be read.');
      await dropDamaged(blobRef, `${cacheError.code}: ${cacheError.message}`);
      throw cacheError;
    }
  }

  /** Writes the access times of reads so far in one transaction. */
  function flushReadAccess(): void {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    if (pendingReads.size === 0) return;
    const reads = [...pendingReads];
    pendingReads.clear();
    try {
      ctx.transaction('recording the last access', () => {
        const update = db.prepare('UPDATE blobs SET last_access = ? WHERE blob_ref = ?');
        for (const [blobRef, at] of reads) update.run(at, blobRef);
      });
    } catch {
      // The eviction order is all that depends on it: a full disk or a store closed meanwhile
      // leaves it a little stale, and must not fail a read.
    }
  }

  function recordRead(blobRef: string): void {
    pendingReads.set(blobRef, ctx.nowMs());
    if (!flushTimer) {
      flushTimer = setTimeout(flushReadAccess, READ_ACCESS_FLUSH_MS);
      flushTimer.unref?.();
    }
  }

  return {
    flushReadAccess,
    async putBlob(patientKey, name, bytes) {
      ctx.ensureOpen();
      checked(BlobNameSchema, name, 'blob name');
      const patientRef = ctx.patientRefOf(patientKey);
      const now = ctx.nowMs();
      // The key may not exist yet; creating the patient first keeps file and row under one key.
      // A known patient's access time is written with the blob's rows (one commit for many frames).
      const { keyId, key } =
        patientKeys.existing(patientRef) ?? ctx.transaction('storing an image', () => patientKeys.forWrite(patientKey, patientRef, now));
      const blobRef = contentRef(patientRef, bytes);
      const nameRef = blindRef(ctx.keys.ring.index.blind, 'blob-name', patientRef, name);
      const sealed = seal(key, bytes, aad.blob(patientRef, blobRef, keyId));
      const present = db.prepare('SELECT 1 AS present FROM blobs WHERE blob_ref = ?').get(blobRef) !== undefined;
      if (!present) {
        try {
          // File first, row second: a row never points at a missing file; a crash in between
          // leaves an orphan file that the next open sweeps away.
          await writingFile(() => writeFileAtomically(fs, blobPath(blobDir, blobRef), sealed));
        } catch (error) {
          throw toCacheError(error, 'writing an image file');
        }
      }
      await storeRow({ blobRef, patientRef, keyId, size: sealed.length, now, nameRef });
      await evictBeyondBudget(blobRef);
    },

    async getBlob(patientKey, name) {
      ctx.ensureOpen();
      const patientRef = ctx.patientRefOf(patientKey);
      const nameRef = blindRef(ctx.keys.ring.index.blind, 'blob-name', patientRef, name);
      const row = db
        .prepare('SELECT b.blob_ref, b.key_id FROM blob_names n JOIN blobs b USING (blob_ref) WHERE n.patient_ref = ? AND n.name_ref = ?')
        .get(patientRef, nameRef);
      if (!row) return undefined;
      const blobRef = String(row.blob_ref);
      const dataKey = patientKeys.existing(patientRef);
      if (!dataKey) return undefined;
      const sealed = await readSealed(blobRef);
      const plain = await openChecked(patientRef, blobRef, String(row.key_id), dataKey.key, sealed);
      recordRead(blobRef);
      return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
    },
  };
}
