import { blindRef } from '../keys/index.ts';
import type { CacheStore } from './cache-store.ts';
import type { PatientKeys } from './patient-keys.ts';
import type { StoreContext } from './store-context.ts';

/** Finding a cached patient by an identifier (身份证, MRN) through HMACs, never the value itself. */
export type BlindIndex = Pick<CacheStore, 'indexIdentifiers' | 'findPatientsByIdentifier'>;

/** Identifier values compare without spaces and case: a 身份证 may end in x or X. */
export function normalizeIdentifier(value: string): string {
  return value.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

export function createBlindIndex(ctx: StoreContext, patientKeys: PatientKeys): BlindIndex {
  const { db } = ctx;
  return {
    async indexIdentifiers(patientKey, values) {
      ctx.ensureOpen();
      const patientRef = ctx.patientRefOf(patientKey);
      ctx.transaction('indexing identifiers', () => {
        patientKeys.forWrite(patientKey, patientRef, ctx.nowMs());
        const insert = db.prepare('INSERT OR IGNORE INTO identifiers (lookup_ref, patient_ref) VALUES (?, ?)');
        for (const value of values) {
          const normalized = normalizeIdentifier(value);
          if (normalized) insert.run(blindRef(ctx.keys.ring.index.blind, 'identifier', normalized), patientRef);
        }
      });
    },

    async findPatientsByIdentifier(value) {
      ctx.ensureOpen();
      const lookupRef = blindRef(ctx.keys.ring.index.blind, 'identifier', normalizeIdentifier(value));
      const rows = db
        .prepare(
          'SELECT p.patient_ref, p.key_id, p.sealed_label FROM identifiers i JOIN patients p USING (patient_ref) WHERE i.lookup_ref = ?',
        )
        .all(lookupRef);
      return rows.map((row) => patientKeys.labelOf(String(row.patient_ref), row.sealed_label as Uint8Array));
    },
  };
}
