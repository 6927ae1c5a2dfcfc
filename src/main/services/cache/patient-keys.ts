import { z } from 'zod';
import { newKey, newKeyId, unwrapKey, wipe, wrapKey } from '../keys/index.ts';
import { CacheError } from './cache-error.ts';
import { aad, openJson, sealJson } from './record-codec.ts';
import type { StoreContext } from './store-context.ts';

/** One patient's data key, with the id that names it in AAD and rows. */
export interface DataKey {
  keyId: string;
  key: Buffer;
}

/** The per-patient data keys, unwrapped once and kept until purge or close. */
export interface PatientKeys {
  /** The patient's data key; undefined when the patient is not cached. */
  existing(patientRef: string): DataKey | undefined;
  /** Inside a transaction: the patient's data key, creating the patient on first write. */
  forWrite(patientKey: string, patientRef: string, now: number): DataKey;
  /** The patient key a row was stored for, opened from its sealed label. */
  labelOf(patientRef: string, sealedLabel: Uint8Array): string;
  forget(patientRef: string): void;
  forgetAll(): void;
}

const LabelSchema = z.object({ patientKey: z.string() });

export function createPatientKeys(ctx: StoreContext): PatientKeys {
  const { db } = ctx;
  const dataKeys = new Map<string, DataKey>();

  function existing(patientRef: string): DataKey | undefined {
    const cached = dataKeys.get(patientRef);
    if (cached) return cached;
    const row = db.prepare('SELECT key_id, wrapped_key FROM patients WHERE patient_ref = ?').get(patientRef);
    if (!row) return undefined;
    const keyId = String(row.key_id);
    const { ring } = ctx.keys;
    const key = unwrapKey(ring.masterKey, ring.masterKeyId, { kind: 'patient', patientRef, keyId }, row.wrapped_key as Uint8Array);
    const dataKey = { keyId, key };
    dataKeys.set(patientRef, dataKey);
    return dataKey;
  }

  function forget(patientRef: string): void {
    wipe(dataKeys.get(patientRef)?.key);
    dataKeys.delete(patientRef);
  }

  return {
    existing,
    forWrite(patientKey, patientRef, now) {
      const found = existing(patientRef);
      if (found) {
        db.prepare('UPDATE patients SET last_access = ? WHERE patient_ref = ?').run(now, patientRef);
        return found;
      }
      const { ring } = ctx.keys;
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
    },
    labelOf(patientRef, sealedLabel) {
      const dataKey = existing(patientRef);
      if (!dataKey) throw new CacheError('corrupt', 'A cached patient has no data key.');
      return openJson(dataKey.key, sealedLabel, aad.label(patientRef, dataKey.keyId), LabelSchema, 'A cached patient label').patientKey;
    },
    forget,
    forgetAll() {
      for (const ref of [...dataKeys.keys()]) forget(ref);
    },
  };
}
