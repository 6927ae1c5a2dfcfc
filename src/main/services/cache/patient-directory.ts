import type { CacheStore } from './cache-store.ts';
import type { PatientKeys } from './patient-keys.ts';
import type { StoreContext } from './store-context.ts';

/** Which patients are cached and when each was last used (what retention counts from). */
export type PatientDirectory = Pick<CacheStore, 'listPatients' | 'hasPatient' | 'touch'>;

export function createPatientDirectory(ctx: StoreContext, patientKeys: PatientKeys): PatientDirectory {
  const { db } = ctx;
  return {
    async listPatients() {
      ctx.ensureOpen();
      const rows = db.prepare('SELECT patient_ref, sealed_label, created_at, last_access FROM patients ORDER BY last_access DESC').all();
      return rows.map((row) => ({
        patientKey: patientKeys.labelOf(String(row.patient_ref), row.sealed_label as Uint8Array),
        lastAccess: new Date(Number(row.last_access)).toISOString(),
        createdAt: new Date(Number(row.created_at)).toISOString(),
      }));
    },

    async hasPatient(patientKey) {
      ctx.ensureOpen();
      return db.prepare('SELECT 1 AS present FROM patients WHERE patient_ref = ?').get(ctx.patientRefOf(patientKey)) !== undefined;
    },

    async touch(patientKey) {
      ctx.ensureOpen();
      const patientRef = ctx.patientRefOf(patientKey);
      ctx.transaction('recording the last access', () => {
        db.prepare('UPDATE patients SET last_access = ? WHERE patient_ref = ?').run(ctx.nowMs(), patientRef);
      });
    },
  };
}
