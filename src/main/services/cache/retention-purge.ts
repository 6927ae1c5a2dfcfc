import type { z } from 'zod';
import { blobPath, removeFile } from './blob-files.ts';
import type { CacheStore } from './cache-store.ts';
import type { PatientKeys } from './patient-keys.ts';
import { expiryCutoffMs, type RetentionPolicySchema } from './retention.ts';
import type { StoreContext } from './store-context.ts';

/** Crypto-shredding patients: one, the idle ones (retention policy), all, or all on logout. */
export type RetentionPurge = Pick<CacheStore, 'purgePatient' | 'purgeExpired' | 'purgeAll' | 'onLogout'>;

export function createRetentionPurge(
  ctx: StoreContext,
  patientKeys: PatientKeys,
  retention: z.output<typeof RetentionPolicySchema>,
): RetentionPurge {
  const { db } = ctx;

  async function purgeRefs(patientRefs: readonly string[]): Promise<number> {
    if (patientRefs.length === 0) return 0;
    const files: string[] = [];
    ctx.transaction('purging patients', () => {
      const blobRows = db.prepare('SELECT blob_ref FROM blobs WHERE patient_ref = ?');
      const quarantined = db.prepare(`DELETE FROM quarantined_rows WHERE row_key LIKE ? || '/%'`);
      const remove = db.prepare('DELETE FROM patients WHERE patient_ref = ?');
      for (const ref of patientRefs) {
        for (const row of blobRows.all(ref)) files.push(blobPath(ctx.blobDir, String(row.blob_ref)));
        quarantined.run(ref);
        // Deleting the patient row deletes its wrapped data key: without it the ciphertext left
        // anywhere (file-system slack, backups) is noise. Cascades take records, sync state, derived views,
        // identifiers and blob rows.
        remove.run(ref);
      }
    });
    for (const ref of patientRefs) patientKeys.forget(ref);
    for (const file of files) await removeFile(ctx.fs, file).catch(() => undefined);
    ctx.checkpoint();
    return patientRefs.length;
  }

  const purgeAll = async () => {
    ctx.ensureOpen();
    return purgeRefs(
      db
        .prepare('SELECT patient_ref FROM patients')
        .all()
        .map((row) => String(row.patient_ref)),
    );
  };

  return {
    async purgePatient(patientKey) {
      ctx.ensureOpen();
      const patientRef = ctx.patientRefOf(patientKey);
      if (!db.prepare('SELECT 1 AS present FROM patients WHERE patient_ref = ?').get(patientRef)) return false;
      await purgeRefs([patientRef]);
      return true;
    },

    async purgeExpired(now = ctx.clock()) {
      ctx.ensureOpen();
      const cutoff = expiryCutoffMs(retention, now);
      if (cutoff === undefined) return 0;
      const refs = db
        .prepare('SELECT patient_ref FROM patients WHERE last_access < ?')
        .all(cutoff)
        .map((row) => String(row.patient_ref));
      return purgeRefs(refs);
    },

    purgeAll,

    async onLogout() {
      ctx.ensureOpen();
      return retention.purgeOnLogout ? purgeAll() : 0;
    },
  };
}
