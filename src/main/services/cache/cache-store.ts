import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import { openKeyRing, wipe, type KeyRing, type ServiceKeySource } from '../keys/index.ts';
import type { KeyProtector } from '../security/index.ts';
import { createBlindIndex } from './blind-index.ts';
import { createBlobStore } from './blob-store.ts';
import { nodeBlobFs, sweepOrphans, type BlobFs } from './blob-files.ts';
import type { CacheError } from './cache-error.ts';
import { asCacheError, toCacheError } from './cache-error.ts';
import { createDerivedViews, type ViewMember } from './derived-views.ts';
import { rotateCacheMasterKey } from './key-rotation.ts';
import { BLOB_DIR, openDatabase } from './open-database.ts';
import { createPatientDirectory } from './patient-directory.ts';
import { createPatientKeys } from './patient-keys.ts';
import type { QuarantineEntry } from './quarantine.ts';
import type { SyncState } from './record-codec.ts';
import { assertRecordsOf, createRecordRows } from './record-rows.ts';
import { createRecordWriter } from './record-writer.ts';
import { createRetentionPurge } from './retention-purge.ts';
import { RetentionPolicySchema, type RetentionPolicy } from './retention.ts';
import { createServiceKeys } from './service-keys.ts';
import { checked, createStoreContext, type StoreContext } from './store-context.ts';

export { normalizeIdentifier } from './blind-index.ts';
export type { SyncState } from './record-codec.ts';
export type { ViewMember } from './derived-views.ts';

export interface CacheStoreOptions {
  /** A directory of its own (created 0700): cache.db, its WAL, blobs/ and quarantine/. */
  directory: string;
  /** Protects the master key: safeStorage in the desktop shell, a passphrase elsewhere. */
  protector: KeyProtector;
  /** An administrator accepted Linux's basic_text backend for this workstation. */
  allowInsecureBackend?: boolean;
  retention?: RetentionPolicy;
  /** Size budget for blob files (images); least recently read are evicted beyond it. */
  blobBudgetBytes?: number;
  clock?: () => Date;
  /** Test hook: a file-system layer for blobs (e.g. one that fails with ENOSPC). */
  blobFs?: BlobFs;
  /** Test hook: SQLite's page budget, to provoke a full database. */
  maxPageCount?: number;
  /** Test hook: the record writer's worker script. */
  recordWriterEntry?: URL | string;
}

export interface OpenReport {
  /** True when no cache existed (or a damaged one was quarantined) and keys were created. */
  created: boolean;
  keyBackend: string;
  /** Damaged files moved aside while opening. */
  quarantined: QuarantineEntry[];
  /** Leftovers of interrupted blob writes that were removed. */
  orphanBlobsRemoved: number;
}

export interface RecordFailure {
  sourceId: string;
  resourceType: string;
  error: CacheError;
}

/** What a read returns: the records that decrypted, and each one that did not (quarantined). */
export interface CachedRecords {
  records: SourcedResource[];
  failures: RecordFailure[];
  /** The patient's revision these records are (read in the same step); undefined when not cached. */
  revision?: string;
}

export interface CachedPatient {
  patientKey: string;
  lastAccess: string;
  createdAt: string;
}

export interface PutRecordsOptions {
  /** Replace this source's records for the patient: rows not in `records` are deleted. */
  replace?: boolean;
  /** Records the source's sync state in the same transaction (one revision for both). */
  syncState?: SyncState;
}

/** One patient's records of one source, as a part of a batch. */
export interface RecordWrite {
  patientKey: string;
  sourceId: string;
  records: readonly SourcedResource[];
  /**
   * More records of this write, as v8-serialised arrays of SourcedResource (a conversion worker's
   * output): read where the batch is written — in the record writer's thread — so the caller's
   * thread neither rebuilds them as objects nor copies them object by object into that thread.
   */
  serialized?: readonly Uint8Array[];
}

/** The typed reader/writer over the encrypted cache; the only way services touch it. */
export interface CacheStore extends ServiceKeySource {
  readonly openReport: OpenReport;
  /** Stores (upserts) records of one source, in one transaction; resolves once durable, with the patient's new revision. */
  putRecords(patientKey: string, sourceId: string, records: readonly SourcedResource[], options?: PutRecordsOptions): Promise<string>;
  /**
   * Upserts several patients' records in one transaction (one commit, one fsync): all of them are
   * durable or none is. Resolves with each write's patient revision, in order.
   */
  putRecordBatch(writes: readonly RecordWrite[]): Promise<string[]>;
  getRecords(patientKey: string, filter?: { sourceId?: string }): Promise<CachedRecords>;
  recordSyncState(patientKey: string, sourceId: string, state: SyncState): Promise<void>;
  /** Per source id: when it last answered for this patient. */
  getSyncState(patientKey: string): Promise<Record<string, SyncState>>;
  /**
   * Changes with every write to the patient's records or sync state (opaque; a re-created
   * patient never repeats one). Undefined when the patient is not cached.
   */
  revisionOf(patientKey: string): Promise<string | undefined>;
  /**
   * Stores a value derived from these patients at these revisions (e.g. a timeline's first
   * screen), sealed under a key derived from all their data keys. False, storing nothing, when
   * a revision is no longer current or none of them is cached.
   */
  putView(name: string, members: readonly ViewMember[], value: unknown): Promise<boolean>;
  /** The view derived from exactly these patients, if every one of them is still at its revision. */
  getView<T>(name: string, patientKeys: readonly string[], schema: z.ZodType<T>): Promise<T | undefined>;
  /** Makes the patient findable by identifier values (MRN, 身份证…) through the blind index. */
  indexIdentifiers(patientKey: string, values: readonly string[]): Promise<void>;
  findPatientsByIdentifier(value: string): Promise<string[]>;
  listPatients(): Promise<CachedPatient[]>;
  hasPatient(patientKey: string): Promise<boolean>;
  /** Marks the patient as just used (retention counts from here). */
  touch(patientKey: string): Promise<void>;
  /** Stores a large binary (a DICOM instance or frame) under a caller-chosen name. */
  putBlob(patientKey: string, name: string, bytes: Uint8Array): Promise<void>;
  /** Reads a blob, checking its integrity; undefined when not cached (or evicted). */
  getBlob(patientKey: string, name: string): Promise<Uint8Array | undefined>;
  /** Crypto-shreds one patient: its data key, rows and blob files. False if it was not cached. */
  purgePatient(patientKey: string): Promise<boolean>;
  /** Purges patients idle beyond the retention policy; returns how many. */
  purgeExpired(now?: Date): Promise<number>;
  purgeAll(): Promise<number>;
  /** Applies the purge-on-logout policy; returns how many patients were purged. */
  onLogout(): Promise<number>;
  /** New master key (optionally under a new protector); re-wraps keys, re-encrypts nothing. */
  rotateMasterKey(newProtector?: KeyProtector): Promise<void>;
  stats(): { patients: number; records: number; blobs: number; blobBytes: number };
  /**
   * A key for another service of this workstation (e.g. the audit log), derived from the index
   * key: stable across master-key rotation, never stored, different per purpose.
   */
  deriveServiceKey(purpose: string): Buffer;
  /**
   * A small value another service keeps beside the key material (the audit log's head), in the
   * same database: it can only be rolled back together with the keys. The caller authenticates
   * it (it is not secret); undefined when never written.
   */
  readServiceState(purpose: string): Buffer | undefined;
  /**
   * Replaces that value in one IMMEDIATE transaction with what `next` makes of the current one
   * (undefined: leave it), so two processes on one cache cannot interleave a read and a write.
   */
  updateServiceState(purpose: string, next: (current: Buffer | undefined) => Uint8Array | undefined): void;
  close(): void;
}

/** A patient's last access is written at most this often (ms). */
const TOUCH_EVERY_MS = 60_000;
/** Patients whose last touch is remembered at most; past it the memo starts over. */
const TOUCHES_KEPT = 4096;

const ViewNameSchema = z.string().min(1, 'a view name must not be empty');

/** Hands every key-module error that leaves the store over as the cache's own error. */
function withCacheErrors<T extends object>(store: T): T {
  const guarded = { ...store } as Record<string, unknown>;
  for (const [name, member] of Object.entries(store)) {
    if (typeof member !== 'function') continue;
    const method = member as (...args: unknown[]) => unknown;
    guarded[name] = (...args: unknown[]) => {
      let result: unknown;
      try {
        result = method(...args);
      } catch (error) {
        throw asCacheError(error) ?? error;
      }
      return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(asCacheError(error) ?? error)) : result;
    };
  }
  return guarded as T;
}

/** Copies of the keys the record writer thread needs (it wipes them when it stops). */
function writerKeysOf(ring: KeyRing) {
  return {
    masterKey: Uint8Array.from(ring.masterKey),
    masterKeyId: ring.masterKeyId,
    indexKey: Uint8Array.from(ring.indexKey),
    blind: Uint8Array.from(ring.index.blind),
    blobName: Uint8Array.from(ring.index.blobName),
  };
}

async function openRing(db: DatabaseSync, options: CacheStoreOptions): Promise<KeyRing> {
  try {
    return await openKeyRing(db, options.protector, { allowInsecureBackend: options.allowInsecureBackend });
  } catch (error) {
    db.close();
    throw toCacheError(error, 'opening the cache keys');
  }
}

function statsOf(db: DatabaseSync): ReturnType<CacheStore['stats']> {
  const count = (sql: string) => Number(db.prepare(sql).get()?.n ?? 0);
  return {
    patients: count('SELECT count(*) AS n FROM patients'),
    records: count('SELECT count(*) AS n FROM records'),
    blobs: count('SELECT count(*) AS n FROM blobs'),
    blobBytes: count('SELECT coalesce(sum(size), 0) AS n FROM blobs'),
  };
}

/** Rotation and close: the parts that act on the open store's keys as a whole. */
function keyLifecycle(
  ctx: StoreContext,
  openReport: OpenReport,
  initial: KeyProtector,
  forgetDataKeys: () => void,
  markClosed: () => boolean,
) {
  let protector = initial;
  return {
    async rotateMasterKey(newProtector?: KeyProtector) {
      ctx.ensureOpen();
      const next = newProtector ?? protector;
      try {
        ctx.keys.ring = await rotateCacheMasterKey(ctx.db, ctx.keys.ring, next);
      } catch (error) {
        throw toCacheError(error, 'rotating the master key');
      }
      protector = next;
      openReport.keyBackend = next.backendName;
      ctx.checkpoint();
    },
    close() {
      if (!markClosed()) return;
      forgetDataKeys();
      const { ring } = ctx.keys;
      wipe(ring.masterKey, ring.indexKey, ring.index.blind, ring.index.blobName);
      ctx.db.close();
    },
  };
}

export async function openCacheStore(options: CacheStoreOptions): Promise<CacheStore> {
  const clock = options.clock ?? (() => new Date());
  const fs = options.blobFs ?? nodeBlobFs;
  const retention = RetentionPolicySchema.parse(options.retention ?? {});
  const blobDir = join(options.directory, BLOB_DIR);
  const opened = openDatabase(options.directory, { now: clock(), maxPageCount: options.maxPageCount });
  const db: DatabaseSync = opened.db;

  const created = db.prepare(`SELECT count(*) AS n FROM meta`).get()?.n === 0;
  const ring = await openRing(db, options);

  const referenced = new Set((db.prepare('SELECT blob_ref FROM blobs').all() as { blob_ref: string }[]).map((r) => r.blob_ref));
  const orphans = await sweepOrphans(fs, blobDir, (ref) => referenced.has(ref));

  let closed = false;
  const ctx = createStoreContext({ db, ring, fs, directory: options.directory, blobDir, clock, isClosed: () => closed });
  const openReport: OpenReport = {
    created,
    keyBackend: options.protector.backendName,
    quarantined: opened.quarantined,
    orphanBlobsRemoved: orphans.length,
  };

  const patientKeys = createPatientKeys(ctx);
  const views = createDerivedViews({
    db,
    blindKey: () => ctx.keys.ring.index.blind,
    patientRefOf: ctx.patientRefOf,
    dataKeyOf: (patientRef) => patientKeys.existing(patientRef)?.key,
    transaction: ctx.transaction,
    nowMs: ctx.nowMs,
  });
  const markClosed = () => !closed && (closed = true);
  const { flushReadAccess, ...blobStore } = createBlobStore(ctx, patientKeys, options.blobBudgetBytes);

  const rows = createRecordRows(ctx, patientKeys);
  const directory = createPatientDirectory(ctx, patientKeys);
  /** When this store last recorded each patient's access (its clock, ms). */
  const touched = new Map<string, number>();
  const writer = createRecordWriter({
    setup: () => ({
      directory: options.directory,
      keys: writerKeysOf(ctx.keys.ring),
      ...(options.maxPageCount === undefined ? {} : { maxPageCount: options.maxPageCount }),
    }),
    inline: (writes) => rows.putRecordBatch(writes),
    ...(options.recordWriterEntry ? { entry: options.recordWriterEntry } : {}),
  });
  const lifecycle = keyLifecycle(
    ctx,
    openReport,
    options.protector,
    () => {
      flushReadAccess();
      patientKeys.forgetAll();
    },
    markClosed,
  );

  return withCacheErrors<CacheStore>({
    openReport,
    ...rows,
    async putRecordBatch(writes) {
      ctx.ensureOpen();
      for (const write of writes) assertRecordsOf(write.sourceId, write.records);
      return writer.write(writes, ctx.nowMs());
    },
    async putView(name, members, value) {
      ctx.ensureOpen();
      return views.put(checked(ViewNameSchema, name, 'view name'), members, value);
    },
    async getView(name, patientKeys, schema) {
      ctx.ensureOpen();
      return views.get(checked(ViewNameSchema, name, 'view name'), patientKeys, schema);
    },
    ...createBlindIndex(ctx, patientKeys),
    ...directory,
    async touch(patientKey) {
      // Retention counts in hours and days; an open patient is read again on every pushed event
      // (10 a second under a broker stream), and a write transaction with its fsync each time held
      // this thread and queued behind the record writer's commits. Recorded once a minute at most.
      const now = ctx.nowMs();
      const last = touched.get(patientKey);
      if (last !== undefined && now >= last && now - last < TOUCH_EVERY_MS) return ctx.ensureOpen();
      await directory.touch(patientKey);
      if (touched.size >= TOUCHES_KEPT) touched.clear();
      touched.set(patientKey, now);
    },
    ...blobStore,
    ...createRetentionPurge(ctx, patientKeys, retention),
    async rotateMasterKey(newProtector) {
      // The writer thread holds the old master key: stopped first, restarted with the new one.
      const resume = await writer.pause();
      try {
        await lifecycle.rotateMasterKey(newProtector);
      } finally {
        resume();
      }
    },
    close() {
      writer.close();
      lifecycle.close();
    },
    stats() {
      ctx.ensureOpen();
      return statsOf(db);
    },
    ...createServiceKeys(ctx),
  });
}
