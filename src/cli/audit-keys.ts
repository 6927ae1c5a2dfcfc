import type { AuditKeys } from '../main/services/audit/index.ts';
import { auditKeysOf } from '../main/services/workstation/open-audit-trail.ts';
import { openConfiguredCache, passphraseProtectorFromEnv } from '../main/services/workstation/open-cache.ts';
import type { HuizhenConfig } from '../shared/config/schema.ts';
import { CliError, EXIT } from './cli-error.ts';

/** The audit log's keys, unlocked from the cache's key store with the passphrase, as the workstation does. */
export async function openAuditKeys(config: HuizhenConfig): Promise<AuditKeys> {
  if (!config.cache?.enabled) throw new CliError('the audit log is sealed with the cache\'s keys: this configuration has no cache', EXIT.auditCannotVerify);
  const cache = await openConfiguredCache(config.cache, () => passphraseProtectorFromEnv(config.cache!));
  if (!cache) throw new CliError('the cache could not be opened', EXIT.auditCannotVerify);
  try {
    return auditKeysOf(cache);
  } finally {
    cache.close();
  }
}
