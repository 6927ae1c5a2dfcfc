import { createHmac, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { KeyProtector } from '../security/key-protector.ts';
import { open, seal } from './aead.ts';
import { blobPath, nodeBlobFs, removeFile, sweepOrphans, writeFileAtomically, type BlobFs } from './blob-files.ts';
import { CacheError, toCacheError } from './cache-error.ts';
import { createDerivedViews, revisionOf, type ViewMember } from './derived-views.ts';
import { blindRef, deriveFromIndexKey, newKey, newKeyId, unwrapKey, wipe, wrapKey } from './key-hierarchy.ts';
import { openKeyRing, rotateMasterKey, type KeyRing } from './master-key.ts';
import { BLOB_DIR, openDatabase } from './open-database.ts';
import { quarantineFiles, type QuarantineEntry } from './quarantine.ts';
import { aad, openJson, openRecord, recordIdOf, sealJson, SyncStateSchema, type SyncState } from './record-codec.ts';
import { expiryCutoffMs, RetentionPolicySchema, type RetentionPolicy } from './retention.ts';

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

/** The typed reader/writer over the encrypted cache; the only way services touch it. */
export interface CacheStore {
  readonly openReport: OpenReport;
  /** Stores (upserts) records of one source, in one transaction; resolves once durable, with the patient's new revision. */
  putRecords(patientKey: string, sourceId: string, records: readonly SourcedResource[], options?: PutRecordsOptions): Promise<string>;
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

const PatientKeySchema = z.string().min(1, 'a patient key must not be empty');
const SourceIdSchema = z.string().min(1, 'a source id must not be empty');
const BlobNameSchema = z.string().min(1, 'a blob name must not be empty');
const ViewNameSchema = z.string().min(1, 'a view name must not be empty');
const LabelSchema = z.object({ patientKey: z.string() });

function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new CacheError('invalid-input', `${what}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}

/** Service states share the meta table with the key records, under a prefix of their own. */
function serviceStateName(purpose: string): string {
  if (!/^[a-z0-9][a-z0-9/._-]{2,99}$/.test(purpose)) throw new CacheError('invalid-input', `"${purpose}" is not a service state name`);
  return `service_state/${purpose}`;
}

/** Identifier values compare without spaces and case: a 身份证 may end in x or X. */
export function normalizeIdentifier(value: string): string {
  return value.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

interface DataKey {
  keyId: string;
  key: Buffer;
}

export async function openCacheStore(options: CacheStoreOptions): Promise<CacheStore> {
  const clock = options.clock ?? (() => new Date());
  const fs = options.blobFs ?? nodeBlobFs;
  const retention = RetentionPolicySchema.parse(options.retention ?? {});
  const blobDir = join(options.directory, BLOB_DIR);
  const opened = openDatabase(options.directory, { now: clock(), maxPageCount: options.maxPageCount });
  const db: DatabaseSync = opened.db;

  let ring: KeyRing;
  let protector = options.protector;
  const created = db.prepare(`SELECT count(*) AS n FROM meta`).get()?.n === 0;
  try {
    ring = await openKeyRing(db, protector, { allowInsecureBackend: options.allowInsecureBackend });
  } catch (error) {
    db.close();
    throw error instanceof CacheError ? error : toCacheError(error, 'opening the cache keys');
  }

  const referenced = new Set((db.prepare('SELECT blob_ref FROM blobs').all() as { blob_ref: string }[]).map((r) => r.blob_ref));
  const orphans = await sweepOrphans(fs, blobDir, (ref) => referenced.has(ref));

  const dataKeys = new Map<string, DataKey>();
  let closed = false;
  const bumpRevision = (patientRef: string) => db.prepare('UPDATE patients SET revision = revision + 1 WHERE patient_ref = ?').run(patientRef);

  const openReport: OpenReport = {
    created,
    keyBackend: protector.backendName,
    quarantined: opened.quarantined,
    orphanBlobsRemoved: orphans.length,
  };

  const ensureOpen = () => {
    if (closed) throw new CacheError('closed', 'The cache store was closed.');
  };
  const patientRefOf = (patientKey: string) => blindRef(ring.index.blind, 'patient', checked(PatientKeySchema, patientKey, 'patient key'));
  const nowMs = () => clock().getTime();

  /** Runs `body` in one IMMEDIATE transaction; a failure rolls back and becomes a CacheError. */
  function transaction<T>(doing: string, body: () => T): T {
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

  function existingDataKey(patientRef: string): DataKey | undefined {
    const cached = dataKeys.get(patientRef);
    if (cached) return cached;
    const row = db.prepare('SELECT key_id, wrapped_key FROM patients WHERE patient_ref = ?').get(patientRef);
    if (!row) return undefined;
    const keyId = String(row.key_id);
    const key = unwrapKey(ring.masterKey, ring.masterKeyId, { kind: 'patient', patientRef, keyId }, row.wrapped_key as Uint8Array);
    const dataKey = { keyId, key };
    dataKeys.set(patientRef, dataKey);
    return dataKey;
  }

  /** Inside a transaction: the patient's data key, creating the patient on first write. */
  function dataKeyForWrite(patientKey: string, patientRef: string, now: number): DataKey {
    const existing = existingDataKey(patientRef);
    if (existing) {
      db.prepare('UPDATE patients SET last_access = ? WHERE patient_ref = ?').run(now, patientRef);
      return existing;
    }
    const dataKey = { keyId: newKeyId(), key: newKey() };
    db.prepare(
      'INSERT INTO patients (patient_ref, key_id, wrapped_key, sealed_label, created_at, last_access) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(
      patientRef,
      dataKey.keyId,
      wrapKey(ring.masterKey, ring.masterKeyId, { kind: 'patient', patientRef, keyId: dataKey.keyId }, dataKey.key),
      sealJson(dataKey.key, { patientKey }, aad.label(patientRef, dataKey.keyId)),
      now,
      now,
    );
    dataKeys.set(patientRef, dataKey);
    return dataKey;
  }

  /** Inside a transaction. */
  function writeSyncState(patientRef: string, sourceId: string, state: SyncState, keyId: string, key: Buffer): void {
    db.prepare(
      'INSERT INTO sync_state (patient_ref, source_id, sealed) VALUES (?, ?, ?) ON CONFLICT (patient_ref, source_id) DO UPDATE SET sealed = excluded.sealed',
    ).run(patientRef, sourceId, sealJson(key, state, aad.sync(patientRef, sourceId, keyId)));
  }

  const views = createDerivedViews({
    db,
    blindKey: () => ring.index.blind,
    patientRefOf,
    dataKeyOf: (patientRef) => existingDataKey(patientRef)?.key,
    transaction,
    nowMs,
  });

  function forgetDataKey(patientRef: string): void {
    wipe(dataKeys.get(patientRef)?.key);
    dataKeys.delete(patientRef);
  }

  function quarantineRow(table: string, rowKey: string, sealed: Uint8Array | null, reason: string): void {
    db.prepare('INSERT INTO quarantined_rows (table_name, row_key, sealed, reason, quarantined_at) VALUES (?, ?, ?, ?, ?)').run(
      table,
      rowKey,
      sealed,
      reason,
      nowMs(),
    );
  }

  async function purgeRefs(patientRefs: readonly string[]): Promise<number> {
    if (patientRefs.length === 0) return 0;
    const files: string[] = [];
    transaction('purging patients', () => {
      const blobRows = db.prepare('SELECT blob_ref FROM blobs WHERE patient_ref = ?');
      const quarantined = db.prepare(`DELETE FROM quarantined_rows WHERE row_key LIKE ? || '/%'`);
      const remove = db.prepare('DELETE FROM patients WHERE patient_ref = ?');
      for (const ref of patientRefs) {
        for (const row of blobRows.all(ref)) files.push(blobPath(blobDir, String(row.blob_ref)));
        quarantined.run(ref);
        // Deleting the patient row deletes its wrapped data key: without it the ciphertext left
        // anywhere (file-system slack, backups) is noise. Cascades take records, sync state, derived views,
        // identifiers and blob rows.
        remove.run(ref);
      }
    });
    for (const ref of patientRefs) forgetDataKey(ref);
    for (const file of files) await removeFile(fs, file).catch(() => undefined);
    checkpoint();
    return patientRefs.length;
  }

  /** Moves the WAL's content into the database and truncates the WAL to zero bytes. */
  function checkpoint(): void {
    try {
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } catch (error) {
      throw toCacheError(error, 'checkpointing the write-ahead log');
    }
  }

  async function evictBlobsBeyondBudget(keep: string): Promise<void> {
    if (options.blobBudgetBytes === undefined) return;
    const budget = options.blobBudgetBytes;
    const victims: string[] = [];
    transaction('evicting images beyond the size budget', () => {
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

  async function dropDamagedBlob(blobRef: string, reason: string): Promise<void> {
    const path = blobPath(blobDir, blobRef);
    try {
      quarantineFiles(options.directory, [path], reason, clock());
    } catch {
      await removeFile(fs, path).catch(() => undefined);
    }
    transaction('dropping a damaged image', () => {
      db.prepare('DELETE FROM blobs WHERE blob_ref = ?').run(blobRef);
    });
  }

  const store: CacheStore = {
    openReport,

    async putRecords(patientKey, sourceId, records, putOptions = {}) {
      ensureOpen();
      checked(SourceIdSchema, sourceId, 'source id');
      for (const item of records) {
        if (typeof item?.resource?.resourceType !== 'string' || typeof item?.provenance?.nativeId !== 'string') {
          throw new CacheError('invalid-input', 'Every record needs a resource with a resourceType and a provenance.');
        }
        if (item.provenance.sourceId !== sourceId) {
          throw new CacheError('invalid-input', `A record from "${item.provenance.sourceId}" was handed over as "${sourceId}".`);
        }
      }
      const patientRef = patientRefOf(patientKey);
      const now = nowMs();
      const syncState = putOptions.syncState === undefined ? undefined : checked(SyncStateSchema, putOptions.syncState, 'sync state');
      return transaction('storing records', () => {
        const { keyId, key } = dataKeyForWrite(patientKey, patientRef, now);
        if (putOptions.replace) db.prepare('DELETE FROM records WHERE patient_ref = ? AND source_id = ?').run(patientRef, sourceId);
        const upsert = db.prepare(
          `INSERT INTO records (patient_ref, source_id, record_ref, resource_type, key_id, sealed, written_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (patient_ref, source_id, record_ref) DO UPDATE SET
             resource_type = excluded.resource_type, key_id = excluded.key_id, sealed = excluded.sealed, written_at = excluded.written_at`,
        );
        for (const item of records) {
          const recordRef = blindRef(ring.index.blind, 'record', patientRef, sourceId, recordIdOf(item));
          const resourceType = item.resource.resourceType;
          const value = { resource: item.resource, provenance: item.provenance };
          upsert.run(patientRef, sourceId, recordRef, resourceType, keyId, sealJson(key, value, aad.record(patientRef, sourceId, resourceType, recordRef, keyId)), now);
        }
        if (syncState) writeSyncState(patientRef, sourceId, syncState, keyId, key);
        bumpRevision(patientRef);
        return revisionOf(db, patientRef)!;
      });
    },

    async getRecords(patientKey, filter = {}) {
      ensureOpen();
      const patientRef = patientRefOf(patientKey);
      let dataKey: DataKey | undefined;
      try {
        dataKey = existingDataKey(patientRef);
      } catch (error) {
        throw error instanceof CacheError ? error : toCacheError(error, 'opening a patient key');
      }
      if (!dataKey) return { records: [], failures: [] };
      let rows: Record<string, unknown>[];
      try {
        rows =
          filter.sourceId === undefined
            ? db.prepare('SELECT source_id, record_ref, resource_type, key_id, sealed FROM records WHERE patient_ref = ? ORDER BY rowid').all(patientRef)
            : db
                .prepare('SELECT source_id, record_ref, resource_type, key_id, sealed FROM records WHERE patient_ref = ? AND source_id = ? ORDER BY rowid')
                .all(patientRef, filter.sourceId);
      } catch (error) {
        throw toCacheError(error, 'reading records');
      }
      const records: SourcedResource[] = [];
      const failures: RecordFailure[] = [];
      const damaged: { sourceId: string; recordRef: string; sealed: Uint8Array; reason: string }[] = [];
      for (const row of rows) {
        const sourceId = String(row.source_id);
        const recordRef = String(row.record_ref);
        const resourceType = String(row.resource_type);
        const sealed = row.sealed as Uint8Array;
        try {
          // The row's own key id goes into the AAD: a row claiming another key fails to open.
          records.push(openRecord(dataKey.key, sealed, aad.record(patientRef, sourceId, resourceType, recordRef, String(row.key_id))));
        } catch (error) {
          const cacheError = error instanceof CacheError ? error : new CacheError('corrupt', 'A cached record could not be read.');
          failures.push({ sourceId, resourceType, error: cacheError });
          damaged.push({ sourceId, recordRef, sealed, reason: `${cacheError.code}: ${cacheError.message}` });
        }
      }
      if (damaged.length > 0) {
        transaction('quarantining damaged records', () => {
          const remove = db.prepare('DELETE FROM records WHERE patient_ref = ? AND source_id = ? AND record_ref = ?');
          for (const item of damaged) {
            quarantineRow('records', `${patientRef}/${item.sourceId}/${item.recordRef}`, item.sealed, item.reason);
            remove.run(patientRef, item.sourceId, item.recordRef);
          }
          bumpRevision(patientRef);
        });
      }
      return { records, failures, revision: revisionOf(db, patientRef) };
    },

    async recordSyncState(patientKey, sourceId, state) {
      ensureOpen();
      checked(SourceIdSchema, sourceId, 'source id');
      const valid = checked(SyncStateSchema, state, 'sync state');
      const patientRef = patientRefOf(patientKey);
      transaction('recording sync state', () => {
        const { keyId, key } = dataKeyForWrite(patientKey, patientRef, nowMs());
        writeSyncState(patientRef, sourceId, valid, keyId, key);
        bumpRevision(patientRef);
      });
    },

    async getSyncState(patientKey) {
      ensureOpen();
      const patientRef = patientRefOf(patientKey);
      const dataKey = existingDataKey(patientRef);
      const result: Record<string, SyncState> = {};
      if (!dataKey) return result;
      for (const row of db.prepare('SELECT source_id, sealed FROM sync_state WHERE patient_ref = ?').all(patientRef)) {
        const sourceId = String(row.source_id);
        result[sourceId] = openJson(dataKey.key, row.sealed as Uint8Array, aad.sync(patientRef, sourceId, dataKey.keyId), SyncStateSchema, 'A sync state');
      }
      return result;
    },

    async revisionOf(patientKey) {
      ensureOpen();
      return revisionOf(db, patientRefOf(patientKey));
    },

    async putView(name, members, value) {
      ensureOpen();
      return views.put(checked(ViewNameSchema, name, 'view name'), members, value);
    },

    async getView(name, patientKeys, schema) {
      ensureOpen();
      return views.get(checked(ViewNameSchema, name, 'view name'), patientKeys, schema);
    },

    async indexIdentifiers(patientKey, values) {
      ensureOpen();
      const patientRef = patientRefOf(patientKey);
      transaction('indexing identifiers', () => {
        dataKeyForWrite(patientKey, patientRef, nowMs());
        const insert = db.prepare('INSERT OR IGNORE INTO identifiers (lookup_ref, patient_ref) VALUES (?, ?)');
        for (const value of values) {
          const normalized = normalizeIdentifier(value);
          if (normalized) insert.run(blindRef(ring.index.blind, 'identifier', normalized), patientRef);
        }
      });
    },

    async findPatientsByIdentifier(value) {
      ensureOpen();
      const lookupRef = blindRef(ring.index.blind, 'identifier', normalizeIdentifier(value));
      const rows = db
        .prepare('SELECT p.patient_ref, p.key_id, p.sealed_label FROM identifiers i JOIN patients p USING (patient_ref) WHERE i.lookup_ref = ?')
        .all(lookupRef);
      return rows.map((row) => labelOf(String(row.patient_ref), row.sealed_label as Uint8Array));
    },

    async listPatients() {
      ensureOpen();
      const rows = db.prepare('SELECT patient_ref, sealed_label, created_at, last_access FROM patients ORDER BY last_access DESC').all();
      return rows.map((row) => ({
        patientKey: labelOf(String(row.patient_ref), row.sealed_label as Uint8Array),
        lastAccess: new Date(Number(row.last_access)).toISOString(),
        createdAt: new Date(Number(row.created_at)).toISOString(),
      }));
    },

    async hasPatient(patientKey) {
      ensureOpen();
      return db.prepare('SELECT 1 AS present FROM patients WHERE patient_ref = ?').get(patientRefOf(patientKey)) !== undefined;
    },

    async touch(patientKey) {
      ensureOpen();
      const patientRef = patientRefOf(patientKey);
      transaction('recording the last access', () => {
        db.prepare('UPDATE patients SET last_access = ? WHERE patient_ref = ?').run(nowMs(), patientRef);
      });
    },

    async putBlob(patientKey, name, bytes) {
      ensureOpen();
      checked(BlobNameSchema, name, 'blob name');
      const patientRef = patientRefOf(patientKey);
      const now = nowMs();
      // The key may not exist yet; creating the patient first keeps file and row under one key.
      const { keyId, key } = transaction('storing an image', () => dataKeyForWrite(patientKey, patientRef, now));
      const blobRef = contentRef(patientRef, bytes);
      const nameRef = blindRef(ring.index.blind, 'blob-name', patientRef, name);
      const sealed = seal(key, bytes, aad.blob(patientRef, blobRef, keyId));
      const present = db.prepare('SELECT 1 AS present FROM blobs WHERE blob_ref = ?').get(blobRef) !== undefined;
      if (!present) {
        try {
          // File first, row second: a row never points at a missing file; a crash in between
          // leaves an orphan file that the next open sweeps away.
          await writeFileAtomically(fs, blobPath(blobDir, blobRef), sealed);
        } catch (error) {
          throw toCacheError(error, 'writing an image file');
        }
      }
      transaction('storing an image', () => {
        db.prepare(
          `INSERT INTO blobs (blob_ref, patient_ref, key_id, size, last_access) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (blob_ref) DO UPDATE SET last_access = excluded.last_access`,
        ).run(blobRef, patientRef, keyId, sealed.length, now);
        db.prepare(
          `INSERT INTO blob_names (patient_ref, name_ref, blob_ref) VALUES (?, ?, ?)
           ON CONFLICT (patient_ref, name_ref) DO UPDATE SET blob_ref = excluded.blob_ref`,
        ).run(patientRef, nameRef, blobRef);
      });
      await evictBlobsBeyondBudget(blobRef);
    },

    async getBlob(patientKey, name) {
      ensureOpen();
      const patientRef = patientRefOf(patientKey);
      const nameRef = blindRef(ring.index.blind, 'blob-name', patientRef, name);
      const row = db
        .prepare('SELECT b.blob_ref, b.key_id FROM blob_names n JOIN blobs b USING (blob_ref) WHERE n.patient_ref = ? AND n.name_ref = ?')
        .get(patientRef, nameRef);
      if (!row) return undefined;
      const blobRef = String(row.blob_ref);
      const dataKey = existingDataKey(patientRef);
      if (!dataKey) return undefined;
      let sealed: Buffer;
      try {
        sealed = await fs.readFile(blobPath(blobDir, blobRef));
      } catch (error) {
        await dropDamagedBlob(blobRef, 'missing file');
        throw new CacheError('corrupt', 'A cached image file is missing; it was dropped from the cache.', { cause: error });
      }
      let plain: Buffer;
      try {
        plain = open(dataKey.key, sealed, aad.blob(patientRef, blobRef, String(row.key_id)), 'A cached image');
        if (!timingSafeEqual(Buffer.from(contentRef(patientRef, plain), 'hex'), Buffer.from(blobRef, 'hex'))) {
          throw new CacheError('tampered', 'A cached image does not match its content hash.');
        }
      } catch (error) {
        const cacheError = error instanceof CacheError ? error : new CacheError('corrupt', 'A cached image could not be read.');
        await dropDamagedBlob(blobRef, `${cacheError.code}: ${cacheError.message}`);
        throw cacheError;
      }
      try {
        transaction('recording the last access', () => {
          db.prepare('UPDATE blobs SET last_access = ? WHERE blob_ref = ?').run(nowMs(), blobRef);
        });
      } catch (error) {
        // A read must not fail because the disk is full: only the LRU order goes stale.
        if (!(error instanceof CacheError && error.code === 'disk-full')) throw error;
      }
      return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
    },

    async purgePatient(patientKey) {
      ensureOpen();
      const patientRef = patientRefOf(patientKey);
      if (!db.prepare('SELECT 1 AS present FROM patients WHERE patient_ref = ?').get(patientRef)) return false;
      await purgeRefs([patientRef]);
      return true;
    },

    async purgeExpired(now = clock()) {
      ensureOpen();
      const cutoff = expiryCutoffMs(retention, now);
      if (cutoff === undefined) return 0;
      const refs = db.prepare('SELECT patient_ref FROM patients WHERE last_access < ?').all(cutoff).map((row) => String(row.patient_ref));
      return purgeRefs(refs);
    },

    async purgeAll() {
      ensureOpen();
      return purgeRefs(db.prepare('SELECT patient_ref FROM patients').all().map((row) => String(row.patient_ref)));
    },

    async onLogout() {
      ensureOpen();
      return retention.purgeOnLogout ? store.purgeAll() : 0;
    },

    async rotateMasterKey(newProtector) {
      ensureOpen();
      const next = newProtector ?? protector;
      try {
        ring = await rotateMasterKey(db, ring, next);
      } catch (error) {
        throw error instanceof CacheError ? error : toCacheError(error, 'rotating the master key');
      }
      protector = next;
      openReport.keyBackend = next.backendName;
      checkpoint();
    },

    stats() {
      ensureOpen();
      const count = (sql: string) => Number(db.prepare(sql).get()?.n ?? 0);
      return {
        patients: count('SELECT count(*) AS n FROM patients'),
        records: count('SELECT count(*) AS n FROM records'),
        blobs: count('SELECT count(*) AS n FROM blobs'),
        blobBytes: count('SELECT coalesce(sum(size), 0) AS n FROM blobs'),
      };
    },

    deriveServiceKey(purpose) {
      ensureOpen();
      if (!/^[a-z0-9][a-z0-9/._-]{2,99}$/.test(purpose)) throw new Error(`"${purpose}" is not a key purpose`);
      return deriveFromIndexKey(ring.indexKey, `huizhen-service/${purpose}`);
    },

    readServiceState(purpose) {
      ensureOpen();
      const row = db.prepare('SELECT value FROM meta WHERE name = ?').get(serviceStateName(purpose));
      return row?.value instanceof Uint8Array ? Buffer.from(row.value) : undefined;
    },

    updateServiceState(purpose, next) {
      ensureOpen();
      const name = serviceStateName(purpose);
      transaction('updating a service state', () => {
        const row = db.prepare('SELECT value FROM meta WHERE name = ?').get(name);
        const value = next(row?.value instanceof Uint8Array ? Buffer.from(row.value) : undefined);
        if (value === undefined) return;
        db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value').run(name, value);
      });
    },

    close() {
      if (closed) return;
      closed = true;
      for (const ref of [...dataKeys.keys()]) forgetDataKey(ref);
      wipe(ring.masterKey, ring.indexKey, ring.index.blind, ring.index.blobName);
      db.close();
    },
  };

  function labelOf(patientRef: string, sealedLabel: Uint8Array): string {
    const dataKey = existingDataKey(patientRef);
    if (!dataKey) throw new CacheError('corrupt', 'A cached patient has no data key.');
    return openJson(dataKey.key, sealedLabel, aad.label(patientRef, dataKey.keyId), LabelSchema, 'A cached patient label').patientKey;
  }

  /** Content address of a blob: keyed, so equal images are equal refs but the ref reveals nothing. */
  function contentRef(patientRef: string, plain: Uint8Array): string {
    return createHmac('sha256', ring.index.blobName).update(patientRef).update('\0').update(plain).digest('hex');
  }

  return store;
}
