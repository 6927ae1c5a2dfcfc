import { createHash } from 'node:crypto';
import type { HuizhenConfig } from '../../../shared/config/schema.ts';
import type { AccessAuditEvent, AuditRecorder } from '../access/index.ts';
import {
  auditKeysFrom,
  createAuditForwarder,
  defaultAuditDirectory,
  defaultWorkstationId,
  openAuditLog,
  repositoryFromConfig,
  type AuditForwarder,
  type AuditKeys,
  type AuditLog,
} from '../audit/index.ts';
import type { CacheStore } from '../cache/index.ts';
import { defaultCacheDirectory, resolveCacheDirectory } from '../cache-setup/index.ts';
import type { CacheConfig } from '../../../shared/config/cache.ts';
import { defaultUserId } from '../auth/index.ts';
import { auditWitnessOf } from './audit-witness.ts';

export interface AuditTrail {
  record: AuditRecorder;
  log: AuditLog | undefined;
  forwarder: AuditForwarder | undefined;
  close(): Promise<void>;
}

/**
 * Every start records which configuration the workstation runs with (a digest: the file may
 * hold credentials), so a changed source, role scope or care rule shows in the trail.
 */
async function recordConfiguration(auditLog: AuditLog, config: HuizhenConfig, workstation: string): Promise<void> {
  const digest = createHash('sha256').update(JSON.stringify(config)).digest('hex');
  await auditLog.append({
    action: 'config-change',
    outcome: 'success',
    attemptedUser: `system:${defaultUserId()}`,
    entity: { type: 'config', detail: `workstation started; configuration sha256=${digest}` },
    workstation,
    at: new Date().toISOString(),
  });
}

/** Where the audit log lives: as configured, else beside the cache (the CLI reads it from the same place). */
export function auditDirectoryOf(config: { audit?: { directory?: string | undefined }; cache?: CacheConfig | undefined }): string {
  return config.audit?.directory ?? defaultAuditDirectory(config.cache ? resolveCacheDirectory(config.cache) : defaultCacheDirectory());
}

/** The audit log's keys, derived through the cache's service-key source (see audit's `auditKeysFrom`). */
export function auditKeysOf(cache: CacheStore): AuditKeys {
  return auditKeysFrom(cache);
}

/**
 * The tamper-evident audit log (sealed, hash-chained, MAC'd; src/main/services/audit) and, when
 * configured, its forwarding to the hospital's audit repository. Without the cache there is no
 * key store to seal it with: events then go to the host's log only, and the log says so.
 */
export async function openAuditTrail(
  config: HuizhenConfig,
  cache: CacheStore | undefined,
  log: (line: string) => void,
): Promise<AuditTrail> {
  const workstation = config.audit.workstationId ?? defaultWorkstationId();
  if (!cache) {
    log('audit: no cache configured, so no key store to seal the audit log with; access events are only logged here');
    return {
      record: async (event) => log(`audit: ${event.action} ${event.outcome} by ${event.user?.id ?? event.attemptedUser ?? '?'}`),
      log: undefined,
      forwarder: undefined,
      close: async () => {},
    };
  }
  const directory = auditDirectoryOf(config);
  const keys = auditKeysOf(cache);
  const auditLog = await openAuditLog(directory, keys, { log, witness: auditWitnessOf(cache, keys.mac) });
  for (const q of auditLog.openReport.quarantined) log(`audit: an interrupted append was moved aside to ${q.movedTo} (${q.bytes} bytes)`);
  const forwarder = config.audit.repository
    ? createAuditForwarder({
        log: auditLog,
        repository: {
          ...repositoryFromConfig(config.audit.repository),
          retryIntervalSeconds: config.audit.repository.retryIntervalSeconds,
        },
        workstationId: workstation,
        site: config.hospital,
        report: log,
      })
    : undefined;
  forwarder?.start();
  await recordConfiguration(auditLog, config, workstation);
  return {
    async record(event: AccessAuditEvent) {
      await auditLog.append({ ...event, workstation, at: new Date().toISOString() });
    },
    log: auditLog,
    forwarder,
    async close() {
      await forwarder?.stop();
      await auditLog.close();
    },
  };
}
