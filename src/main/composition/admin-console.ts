import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfigurationView, MessageCounters } from '../../shared/api/admin-console.ts';
import type { HuizhenConfig } from '../../shared/config/schema.ts';
import type { AdminConsolePort } from '../services/access/index.ts';
import type { CacheStore } from '../services/cache/index.ts';
import { resolveCacheDirectory } from '../services/cache-setup/index.ts';
import { configurationSummary } from '../services/config/index.ts';
import type { InboundOutcome } from '../services/inbound-hl7/index.ts';
import type { BrokerSubscription } from '../services/inbound-broker/index.ts';
import { createSourceHealth, type SourceHealth } from '../services/source-health/index.ts';
import type { Workstation } from './create-workstation.ts';

export interface AdminConsole {
  port: AdminConsolePort;
  /** Counts each frame the inbound MLLP listener handled (its `onOutcome`). */
  onInboundOutcome(outcome: InboundOutcome): void;
  close(): void;
}

const zero = (): MessageCounters => ({ received: 0, stored: 0, duplicates: 0, rejected: 0, deadLettered: 0 });

/** The broker's own counts in the console's words: a redelivery of something stored is its duplicate. */
function brokerCounters(broker: BrokerSubscription): MessageCounters {
  const c = broker.counts();
  return {
    received: c.ack + c['dead-letter'] + c.retry,
    stored: c.stored,
    duplicates: c.ack - c.stored,
    rejected: c.retry,
    deadLettered: c['dead-letter'],
  };
}

async function databaseBytes(config: HuizhenConfig): Promise<number | undefined> {
  if (!config.cache?.enabled) return undefined;
  const dir = resolveCacheDirectory(config.cache);
  const sizes = await Promise.all(
    ['cache.db', 'cache.db-wal'].map((f) =>
      stat(join(dir, f)).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes[0] || sizes[1] ? sizes[0]! + sizes[1]! : undefined;
}

/**
 * The administrator's console over the running services: the sources' health history (fed by
 * every call the aggregator settles, kept in the encrypted cache), the configuration as loaded
 * (unresolved: vault references, never the secrets resolved from them), the push channels'
 * counters and the cache's size.
 */
export function composeAdminConsole(
  config: HuizhenConfig,
  ports: {
    core: Workstation;
    cache: CacheStore | undefined;
    inbound: () => { host: string; port: number } | undefined;
    broker: () => BrokerSubscription | undefined;
    log: (line: string) => void;
  },
): AdminConsole {
  const health: SourceHealth = createSourceHealth({
    sourceIds: config.sources.filter((s) => s.enabled).map((s) => s.id),
    ...(ports.cache ? { store: ports.cache } : {}),
    log: ports.log,
  });
  const stopListening = ports.core.onSourceCall((call) => health.record(call));
  const inboundCounts = zero();
  const summary = configurationSummary(config);

  async function configuration(): Promise<ConfigurationView> {
    const { cache } = ports;
    const stats = cache?.stats() ?? { patients: 0, records: 0, blobs: 0, blobBytes: 0 };
    const bytes = await databaseBytes(config);
    const inbound = ports.inbound();
    const broker = ports.broker();
    return {
      ...summary,
      inbound: {
        enabled: config.inboundHl7?.enabled === true,
        ...(inbound ? { address: `${inbound.host}:${inbound.port}` } : {}),
        counters: { ...inboundCounts },
      },
      broker: {
        enabled: broker !== undefined,
        ...(broker ? { state: broker.state() } : {}),
        counters: broker ? brokerCounters(broker) : zero(),
      },
      cache: {
        enabled: cache !== undefined,
        ...stats,
        ...(bytes !== undefined ? { databaseBytes: bytes } : {}),
        ...(config.cache?.enabled ? { retentionDays: config.cache.retentionDays } : {}),
        purgeOnLogout: config.cache?.purgeOnLogout === true,
      },
    };
  }

  return {
    port: { sourceHealth: (range) => health.history(range), configuration },
    onInboundOutcome(outcome) {
      inboundCounts.received += 1;
      if (outcome.kind === 'stored') inboundCounts.stored += 1;
      else if (outcome.kind === 'duplicate') inboundCounts.duplicates += 1;
      else if (outcome.kind === 'refused') inboundCounts.rejected += 1;
      // Held frames are kept aside unconverted, for inspection: the listener's dead letters.
      else inboundCounts.deadLettered += 1;
    },
    close() {
      stopListening();
      health.close();
    },
  };
}
