import type { AuditKeys, HeadWitness } from '../main/services/audit/index.ts';
import { auditKeysOf, auditWitnessOf, auditWitnessSnapshotOf } from '../main/services/audit-trail/index.ts';
import type { HuizhenConfig } from '../shared/config/schema.ts';
import { EXIT } from './cli-error.ts';
import { withCliCache } from './with-cli-cache.ts';

/**
 * The audit log's keys, unlocked from the cache's key store with the passphrase, as the
 * workstation does, and the log's head witnessed beside them (read while the cache is open).
 */
export function openAuditKeys(config: HuizhenConfig): Promise<AuditKeys & { witness: HeadWitness }> {
  return withCliCache(config.cache, 'the audit log', EXIT.auditCannotVerify, (cache) => {
    const keys = auditKeysOf(cache);
    return { ...keys, witness: auditWitnessSnapshotOf(cache, keys.mac) };
  });
}

/** Keys and a writable head, with the cache held open for `use` (`huizhen audit new-log` moves the head). */
export function withAuditKeyStore<T>(config: HuizhenConfig, use: (keys: AuditKeys, witness: HeadWitness) => Promise<T>): Promise<T> {
  return withCliCache(config.cache, 'the audit log', EXIT.auditCannotVerify, (cache) => {
    const keys = auditKeysOf(cache);
    return use(keys, auditWitnessOf(cache, keys.mac));
  });
}
