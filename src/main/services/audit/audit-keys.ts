import type { ServiceKeySource } from '../keys/index.ts';
import { AuditError } from './audit-error.ts';

/**
 * The two keys of one audit log: `seal` encrypts event bodies (AES-256-GCM), `mac` authenticates
 * lines and the anchor (HMAC-SHA256). Separate keys so neither use can weaken the other.
 */
export interface AuditKeys {
  seal: Buffer;
  mac: Buffer;
}

export const AUDIT_KEY_BYTES = 32;

export function assertAuditKeys(keys: AuditKeys): void {
  for (const name of ['seal', 'mac'] as const) {
    const key = keys[name];
    if (!Buffer.isBuffer(key) || key.length !== AUDIT_KEY_BYTES) {
      throw new AuditError(
        'wrong-keys',
        `the audit ${name} key must be ${AUDIT_KEY_BYTES} bytes (got ${Buffer.isBuffer(key) ? key.length : typeof key})`,
      );
    }
  }
  if (keys.seal.equals(keys.mac)) throw new AuditError('wrong-keys', 'the audit seal and mac keys must differ');
}

/** The audit log's keys among the service keys: they survive master-key rotation, never touch disk in the clear. */
export function auditKeysFrom(keys: ServiceKeySource): AuditKeys {
  return { seal: keys.deriveServiceKey('huizhen-audit/seal/v1'), mac: keys.deriveServiceKey('huizhen-audit/mac/v1') };
}
