/**
 * The broker subscription as a workstation runs it: off unless configured and enabled, and only
 * with the encrypted cache (what is acknowledged must be durable); the password read from the
 * credential vault (broker.passwordRef); the wards followed from whoever signs in, unless the
 * configuration names them. Started before anyone signs in, it binds no ward until then.
 */
import type { HuizhenConfig } from '../../../shared/config/schema.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { User } from '../../../shared/domain/user.ts';
import type { CacheStore } from '../cache/index.ts';
import { openCacheCredentialVault } from '../credentials/index.ts';
import { resolveCacheDirectory } from '../cache-setup/index.ts';
import type { BrokerSubscription } from './broker-subscription.ts';
import { startBrokerSubscription } from './start-broker-subscription.ts';

export interface WorkstationBrokerOptions {
  config: HuizhenConfig;
  cache: CacheStore | undefined;
  log: (line: string) => void;
  onPatientUpdated: (ref: SourcePatientRef) => void;
}

export async function startWorkstationBroker(options: WorkstationBrokerOptions): Promise<BrokerSubscription | undefined> {
  const { config, cache, log } = options;
  const broker = config.broker;
  if (!broker?.enabled) return undefined;
  if (!cache || !config.cache?.enabled) {
    log('broker: disabled, it needs the cache to store what it acknowledges');
    return undefined;
  }
  let secret: string | undefined;
  if (broker.passwordRef) {
    const vault = await openCacheCredentialVault(cache, resolveCacheDirectory(config.cache));
    try {
      secret = vault.get(broker.passwordRef);
    } finally {
      vault.close();
    }
  }
  return startBrokerSubscription({
    config,
    store: cache,
    secrets: { get: (name) => (name === broker.passwordRef ? secret : undefined) },
    onPatientUpdated: options.onPatientUpdated,
    log,
  });
}

/**
 * Binds the queue to the wards of whoever signs in. Signing out keeps the last bindings: events
 * for the ward between two shifts still wait in this workstation's queue instead of being
 * dropped by the exchange for want of a binding.
 */
export function followSignedInWards(
  subscription: BrokerSubscription | undefined,
  currentUser: () => User | undefined,
  log: (line: string) => void,
): (event: { type: string }) => void {
  return (event) => {
    const user = currentUser();
    if (!subscription || event.type !== 'session.changed' || !user) return;
    if (user.wards.join() === subscription.wards().join()) return;
    subscription.setWards(user.wards).catch((error: unknown) => log(`broker: rebinding to the user's wards failed: ${String(error)}`));
  };
}
