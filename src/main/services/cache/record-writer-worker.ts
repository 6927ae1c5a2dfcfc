/**
 * The record writer's thread (node:worker_threads): batches of records sealed and committed on a
 * connection of its own to the cache database, so the durable commit (synchronous=FULL: an fsync of
 * the WAL), the sealing and the blind refs of a stream of broker deliveries never hold the main
 * thread, where the API answers. SQLite lets one connection write at a time; the main thread's own
 * writes wait on the lock (busy_timeout), readers on either side never do (WAL). Bundled on its own
 * for Electron (scripts/build-electron.ts → dist/electron/cache-writer-worker.cjs).
 */
import type { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { nodeBlobFs } from './blob-files.ts';
import { asCacheError, toCacheError } from './cache-error.ts';
import { BLOB_DIR, openWriterConnection } from './open-database.ts';
import { createPatientKeys } from './patient-keys.ts';
import { createRecordRows } from './record-rows.ts';
import { WriterRequestSchema, WriterSetupSchema, type WriterReply } from './record-writer-protocol.ts';
import { createStoreContext } from './store-context.ts';

const port = parentPort;
if (!port) throw new Error('record-writer-worker.ts runs only as a worker thread');
const setup = WriterSetupSchema.parse(workerData);
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const ring = {
  masterKey: asBuffer(setup.keys.masterKey),
  masterKeyId: setup.keys.masterKeyId,
  indexKey: asBuffer(setup.keys.indexKey),
  index: { blind: asBuffer(setup.keys.blind), blobName: asBuffer(setup.keys.blobName) },
};
const reply = (message: WriterReply): void => port.postMessage(message);

function serve(db: DatabaseSync): void {
  let now = Date.now();
  let closed = false;
  const ctx = createStoreContext({
    db,
    ring,
    fs: nodeBlobFs,
    directory: setup.directory,
    blobDir: join(setup.directory, BLOB_DIR),
    // The main thread's clock (a test hook there), handed over with each batch.
    clock: () => new Date(now),
    isClosed: () => closed,
  });
  const patientKeys = createPatientKeys(ctx);
  const rows = createRecordRows(ctx, patientKeys);
  port!.on('message', (raw: unknown) => {
    const request = WriterRequestSchema.parse(raw);
    if (request.kind === 'close') {
      closed = true;
      patientKeys.forgetAll();
      ring.masterKey.fill(0);
      ring.indexKey.fill(0);
      ring.index.blind.fill(0);
      ring.index.blobName.fill(0);
      db.close();
      port!.close();
      return;
    }
    now = request.now;
    // The whole batch runs synchronously here (node:sqlite), so batches commit in the order sent.
    rows.putRecordBatch(request.writes).then(
      (revisions) => reply({ kind: 'written', id: request.id, revisions }),
      (error: unknown) => {
        const cacheError = asCacheError(error) ?? toCacheError(error, 'storing records');
        reply({ kind: 'failed', id: request.id, code: cacheError.code, message: cacheError.message });
      },
    );
    // Data keys are not kept between batches: a patient purged meanwhile on the main thread (its key
    // shredded there) is created afresh here, never written under the key it had.
    patientKeys.forgetAll();
  });
  reply({ kind: 'ready' });
}

let opened: DatabaseSync | undefined;
try {
  opened = openWriterConnection(setup.directory, setup.maxPageCount);
} catch (error) {
  reply({ kind: 'unavailable', reason: error instanceof Error ? error.message : String(error) });
  port.close();
}
if (opened) serve(opened);
