import type { DatabaseSync } from 'node:sqlite';
import { CacheError } from './cache-error.ts';

/**
 * Numbered migrations, applied in order inside one transaction each; `schema_version` holds
 * the last applied number. Never edit a shipped migration: append the next one.
 *
 * Nothing here holds a patient's name or identifier in plaintext: patients, records and blob
 * names are blind references (HMAC); what they say is in the sealed columns.
 */
const MIGRATIONS: readonly string[] = [
  /* 1 */ `
  CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
  ) STRICT;
  CREATE TABLE patients (
    patient_ref   TEXT PRIMARY KEY,          -- blind index of the caller's patient key
    key_id        TEXT NOT NULL,             -- id of this patient's data key (in AAD)
    wrapped_key   BLOB NOT NULL,             -- data key wrapped by the master key
    sealed_label  BLOB NOT NULL,             -- the patient key itself, sealed with the data key
    created_at    INTEGER NOT NULL,
    last_access   INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX patients_by_access ON patients(last_access);
  CREATE TABLE records (
    patient_ref   TEXT NOT NULL REFERENCES patients(patient_ref) ON DELETE CASCADE,
    source_id     TEXT NOT NULL,             -- configured source id (e.g. "cdr"), not patient data
    record_ref    TEXT NOT NULL,             -- blind index of the record id
    resource_type TEXT NOT NULL,
    key_id        TEXT NOT NULL,
    sealed        BLOB NOT NULL,             -- {resource, provenance} JSON, AES-256-GCM
    written_at    INTEGER NOT NULL,
    PRIMARY KEY (patient_ref, source_id, record_ref)
  ) STRICT;
  CREATE TABLE sync_state (
    patient_ref   TEXT NOT NULL REFERENCES patients(patient_ref) ON DELETE CASCADE,
    source_id     TEXT NOT NULL,
    sealed        BLOB NOT NULL,             -- {syncedAt, etag} JSON: an ETag may embed ids
    PRIMARY KEY (patient_ref, source_id)
  ) STRICT;
  CREATE TABLE identifiers (
    lookup_ref    TEXT NOT NULL,             -- blind index of an identifier value (MRN, 身份证…)
    patient_ref   TEXT NOT NULL REFERENCES patients(patient_ref) ON DELETE CASCADE,
    PRIMARY KEY (lookup_ref, patient_ref)
  ) STRICT;
  CREATE TABLE blobs (
    blob_ref      TEXT PRIMARY KEY,          -- keyed HMAC of the plaintext: names the file
    patient_ref   TEXT NOT NULL REFERENCES patients(patient_ref) ON DELETE CASCADE,
    key_id        TEXT NOT NULL,
    size          INTEGER NOT NULL,          -- bytes on disk
    last_access   INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX blobs_by_access ON blobs(last_access);
  CREATE INDEX blobs_by_patient ON blobs(patient_ref);
  CREATE TABLE blob_names (
    patient_ref   TEXT NOT NULL REFERENCES patients(patient_ref) ON DELETE CASCADE,
    name_ref      TEXT NOT NULL,             -- blind index of the caller's name (e.g. a WADO path)
    blob_ref      TEXT NOT NULL REFERENCES blobs(blob_ref) ON DELETE CASCADE,
    PRIMARY KEY (patient_ref, name_ref)
  ) STRICT;
  CREATE INDEX blob_names_by_blob ON blob_names(blob_ref);
  CREATE TABLE quarantined_rows (
    id             INTEGER PRIMARY KEY,
    table_name     TEXT NOT NULL,
    row_key        TEXT NOT NULL,            -- blind refs only
    sealed         BLOB,
    reason         TEXT NOT NULL,
    quarantined_at INTEGER NOT NULL
  ) STRICT;
  `,
  /* 2 */ `
  -- Bumped by every change to a patient's records or sync state: derived views remember the
  -- revisions they were built from and are ignored once any of them moved on.
  ALTER TABLE patients ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE views (
    view_ref      TEXT PRIMARY KEY,          -- blind index of (view name, member patient refs)
    stamp         TEXT NOT NULL,             -- digest of the member revisions it was derived from
    sealed        BLOB NOT NULL,             -- JSON sealed under a key derived from every member's data key
    written_at    INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE view_members (
    view_ref      TEXT NOT NULL REFERENCES views(view_ref) ON DELETE CASCADE,
    patient_ref   TEXT NOT NULL REFERENCES patients(patient_ref) ON DELETE CASCADE,
    PRIMARY KEY (view_ref, patient_ref)
  ) STRICT;
  CREATE INDEX view_members_by_patient ON view_members(patient_ref);
  -- A view holds data of each member: purging any member takes the whole view with it.
  CREATE TRIGGER views_follow_members AFTER DELETE ON view_members BEGIN
    DELETE FROM views WHERE view_ref = old.view_ref;
  END;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function currentSchemaVersion(db: DatabaseSync): number {
  const table = db.prepare(`SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'`).get();
  if (!table) return 0;
  const row = db.prepare('SELECT version FROM schema_version').get();
  return typeof row?.version === 'number' ? row.version : 0;
}

/** Brings the database to SCHEMA_VERSION; refuses a database written by a newer release. */
export function migrate(db: DatabaseSync): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL) STRICT');
  let version = currentSchemaVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new CacheError(
      'unsupported-version',
      `The cache was written by a newer Huizhen (schema ${version}, this release knows ${SCHEMA_VERSION}).`,
    );
  }
  while (version < SCHEMA_VERSION) {
    const next = version + 1;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATIONS[version]!);
      db.exec('DELETE FROM schema_version');
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(next);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    version = next;
  }
}
