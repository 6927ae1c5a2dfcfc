import type { DatabaseSync } from 'node:sqlite';
import { rotateMasterKey, type KeyRing, type RewrapDependents } from '../keys/index.ts';
import type { KeyProtector } from '../security/index.ts';

/** The patients' data keys sit under the master key too: a rotation re-wraps each of them. */
function rewrapPatientKeys(db: DatabaseSync): RewrapDependents {
  return (rewrap) => {
    const patients = db.prepare('SELECT patient_ref, key_id, wrapped_key FROM patients').all();
    const update = db.prepare('UPDATE patients SET wrapped_key = ? WHERE patient_ref = ?');
    for (const row of patients) {
      const purpose = { kind: 'patient' as const, patientRef: String(row.patient_ref), keyId: String(row.key_id) };
      update.run(rewrap(purpose, row.wrapped_key as Uint8Array), purpose.patientRef);
    }
  };
}

/** A new master key for the cache (optionally under a new protector); re-wraps keys, re-encrypts nothing. */
export function rotateCacheMasterKey(db: DatabaseSync, ring: KeyRing, protector: KeyProtector): Promise<KeyRing> {
  return rotateMasterKey(db, ring, protector, rewrapPatientKeys(db));
}
