import type { AuditKeys } from '../main/services/audit/index.ts';
import { auditKeysOf } from '../main/services/workstation/open-audit-trail.ts';
import type { HuizhenConfig } from '../shared/config/schema.ts';
import { EXIT } from './cli-error.ts';
import { withCliCache } from './with-cli-cache.ts';

/** The audit log's keys, unlocked from the cache's key store with the passphrase, as the workstation does. */
export function openAuditKeys(config: HuizhenConfig): Promise<AuditKeys> {
  return withCliCache(config.cache, 'the audit log', EXIT.auditCannotVerify, auditKeysOf);
}
