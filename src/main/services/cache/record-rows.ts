import { deserialize } from 'node:v8';
import { z } from 'zod';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import { blindRef } from '../keys/index.ts';
import { asCacheError, CacheError, toCacheError } from './cache-error.ts';
import type { CacheStore, RecordFailure, RecordWrite } from './cache-store.ts';
import { revisionOf } from './derived-views.ts';
import type { DataKey, PatientKeys } from './patient-keys.ts';
import { aad, openJson, openRecord, recordIdOf, sealJson, SyncStateSchema, type SyncState } from './record-codec.ts';
import { checked, type StoreContext } from './store-context.ts';

/** The patients' records and each source's sync state: sealed rows under the patient's data key. */
export type RecordRows = Pick<
  CacheStore,
  'putRecords' | 'putRecordBatch' | 'getRecords' | 'recordSyncState' | 'getSyncState' | 'revisionOf'
>;

const SourceIdSchema = z.string().min(1, 'a source id must not be empty');

/** What a serialised chunk must hold; each record's envelope is then checked as any record's is. */
const SerializedChunkSchema = z.array(z.custom<SourcedResource>((value) => typeof value === 'object' && value !== null));

/** A write's records, with its serialised ones read back (here: the thread that writes them). */
export function recordsOf(write: RecordWrite): readonly SourcedResource[] {
  if (!write.serialized?.length) return write.records;
  const records = [...write.records];
  for (const chunk of write.serialized) {
    let value: unknown;
    try {
      value = deserialize(chunk);
    } catch {
      throw new CacheError('invalid-input', 'A serialised chunk of records could not be read.');
    }
    records.push(...checked(SerializedChunkSchema, value, 'serialised records'));
  }
  return records;
}

/** One write of a batch, with what the transaction needs resolved beforehand. */
interface PlannedWrite extends RecordWrite {
  patientRef: string;
  replace: boolean;
  syncState?: SyncState | undefined;
}

interface DamagedRow {
  sourceId: string;
  recordRef: string;
  sealed: Uint8Array;
  reason: string;
}

/** Refuses records the cache cannot store: checked before a batch is handed to the writer thread, too. */
export function assertRecordsOf(sourceId: string, records: readonly SourcedResource[]): void {
  checked(SourceIdSchema, sourceId, 'source id');
  for (const item of records) {
    if (typeof item?.resource?.resourceType !== 'string' || typeof item?.provenance?.nativeId !== 'string') {
      throw new CacheError('invalid-input', 'Every record needs a resource with a resourceType and a provenance.');
    }
    if (item.provenance.sourceId !== sourceId) {
      throw new CacheError('invalid-input', `A record from "${item.provenance.sourceId}" was handed over as "${sourceId}".`);
    }
  }
}

export function createRecordRows(ctx: StoreContext, patientKeys: PatientKeys): RecordRows {
  const { db } = ctx;

  /** Inside a transaction. */
  function writeSyncState(patientRef: string, sourceId: string, state: SyncState, keyId: string, key: Buffer): void {
    db.prepare(
      'INSERT INTO sync_state (patient_ref, source_id, sealed) VALUES (?, ?, ?) ON CONFLICT (patient_ref, source_id) DO UPDATE SET sealed = excluded.sealed',
    ).run(patientRef, sourceId, sealJson(key, state, aad.sync(patientRef, sourceId, keyId)));
  }

  function selectRows(patientRef: string, sourceId: string | undefined): Record<string, unknown>[] {
    try {
      return sourceId === undefined
        ? db
            .prepare('SELECT source_id, record_ref, resource_type, key_id, sealed FROM records WHERE patient_ref = ? ORDER BY rowid')
            .all(patientRef)
        : db
            .prepare(
              'SELECT source_id, record_ref, resource_type, key_id, sealed FROM records WHERE patient_ref = ? AND source_id = ? ORDER BY rowid',
            )
            .all(patientRef, sourceId);
    } catch (error) {
      throw toCacheError(error, 'reading records');
    }
  }

  function quarantineDamaged(patientRef: string, damaged: readonly DamagedRow[]): void {
    ctx.transaction('quarantining damaged records', () => {
      const remove = db.prepare('DELETE FROM records WHERE patient_ref = ? AND source_id = ? AND record_ref = ?');
      const quarantine = db.prepare(
        'INSERT INTO quarantined_rows (table_name, row_key, sealed, reason, quarantined_at) VALUES (?, ?, ?, ?, ?)',
      );
      for (const item of damaged) {
        quarantine.run('records', `${patientRef}/${item.sourceId}/${item.recordRef}`, item.sealed, item.reason, ctx.nowMs());
        remove.run(patientRef, item.sourceId, item.recordRef);
      }
      ctx.bumpRevision(patientRef);
    });
  }

  function openRows(patientRef: string, dataKey: DataKey, rows: readonly Record<string, unknown>[]) {
    const records: SourcedResource[] = [];
    const failures: RecordFailure[] = [];
    const damaged: DamagedRow[] = [];
    for (const row of rows) {
      const sourceId = String(row.source_id);
      const recordRef = String(row.record_ref);
      const resourceType = String(row.resource_type);
      const sealed = row.sealed as Uint8Array;
      try {
        // The row's own key id goes into the AAD: a row claiming another key fails to open.
        records.push(openRecord(dataKey.key, sealed, aad.record(patientRef, sourceId, resourceType, recordRef, String(row.key_id))));
      } catch (error) {
        const cacheError = asCacheError(error) ?? new CacheError('corrupt', 'A cached record could not be read.');
        failures.push({ sourceId, resourceType, error: cacheError });
        damaged.push({ sourceId, recordRef, sealed, reason: `${cacheError.code}: ${cacheError.message}` });
      }
    }
    return { records, failures, damaged };
  }

  /** Inside a transaction: upserts one source's records of one patient; returns the patient's new revision. */
  function writeRecords(write: PlannedWrite, now: number): string {
    const { patientKey, patientRef, sourceId, records } = write;
    const { keyId, key } = patientKeys.forWrite(patientKey, patientRef, now);
    if (write.replace) db.prepare('DELETE FROM records WHERE patient_ref = ? AND source_id = ?').run(patientRef, sourceId);
    const upsert = db.prepare(
      `INSERT INTO records (patient_ref, source_id, record_ref, resource_type, key_id, sealed, written_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (patient_ref, source_id, record_ref) DO UPDATE SET
         resource_type = excluded.resource_type, key_id = excluded.key_id, sealed = excluded.sealed, written_at = excluded.written_at`,
    );
    for (const item of records) {
      const recordRef = blindRef(ctx.keys.ring.index.blind, 'record', patientRef, sourceId, recordIdOf(item));
      const resourceType = item.resource.resourceType;
      const value = { resource: item.resource, provenance: item.provenance };
      upsert.run(
        patientRef,
        sourceId,
        recordRef,
        resourceType,
        keyId,
        sealJson(key, value, aad.record(patientRef, sourceId, resourceType, recordRef, keyId)),
        now,
      );
    }
    if (write.syncState) writeSyncState(patientRef, sourceId, write.syncState, keyId, key);
    ctx.bumpRevision(patientRef);
    return revisionOf(db, patientRef)!;
  }

  return {
    async putRecords(patientKey, sourceId, records, putOptions = {}) {
      ctx.ensureOpen();
      assertRecordsOf(sourceId, records);
      const syncState = putOptions.syncState === undefined ? undefined : checked(SyncStateSchema, putOptions.syncState, 'sync state');
      const now = ctx.nowMs();
      const patientRef = ctx.patientRefOf(patientKey);
      return ctx.transaction('storing records', () =>
        writeRecords({ patientKey, patientRef, sourceId, records, replace: putOptions.replace === true, syncState }, now),
      );
    },

    async putRecordBatch(writes) {
      ctx.ensureOpen();
      const read = writes.map((write) => ({ patientKey: write.patientKey, sourceId: write.sourceId, records: recordsOf(write) }));
      for (const write of read) assertRecordsOf(write.sourceId, write.records);
      const now = ctx.nowMs();
      const planned = read.map((write) => ({ ...write, patientRef: ctx.patientRefOf(write.patientKey), replace: false }));
      return ctx.transaction('storing records', () => planned.map((write) => writeRecords(write, now)));
    },

    async getRecords(patientKey, filter = {}) {
      ctx.ensureOpen();
      const patientRef = ctx.patientRefOf(patientKey);
      let dataKey: DataKey | undefined;
      try {
        dataKey = patientKeys.existing(patientRef);
      } catch (error) {
        throw toCacheError(error, 'opening a patient key');
      }
      if (!dataKey) return { records: [], failures: [] };
      const { records, failures, damaged } = openRows(patientRef, dataKey, selectRows(patientRef, filter.sourceId));
      if (damaged.length > 0) quarantineDamaged(patientRef, damaged);
      return { records, failures, revision: revisionOf(db, patientRef) };
    },

    async recordSyncState(patientKey, sourceId, state) {
      ctx.ensureOpen();
      checked(SourceIdSchema, sourceId, 'source id');
      const valid = checked(SyncStateSchema, state, 'sync state');
      const patientRef = ctx.patientRefOf(patientKey);
      ctx.transaction('recording sync state', () => {
        const { keyId, key } = patientKeys.forWrite(patientKey, patientRef, ctx.nowMs());
        writeSyncState(patientRef, sourceId, valid, keyId, key);
        ctx.bumpRevision(patientRef);
      });
    },

    async getSyncState(patientKey) {
      ctx.ensureOpen();
      const patientRef = ctx.patientRefOf(patientKey);
      const dataKey = patientKeys.existing(patientRef);
      const result: Record<string, SyncState> = {};
      if (!dataKey) return result;
      for (const row of db.prepare('SELECT source_id, sealed FROM sync_state WHERE patient_ref = ?').all(patientRef)) {
        const sourceId = String(row.source_id);
        result[sourceId] = openJson(
          dataKey.key,
          row.sealed as Uint8Array,
          aad.sync(patientRef, sourceId, dataKey.keyId),
          SyncStateSchema,
          'A sync state',
        );
      }
      return result;
    },

    async revisionOf(patientKey) {
      ctx.ensureOpen();
      return revisionOf(db, ctx.patientRefOf(patientKey));
    },
  };
}
