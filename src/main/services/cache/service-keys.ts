import { deriveServiceKey } from '../keys/index.ts';
import { CacheError } from './cache-error.ts';
import type { CacheStore } from './cache-store.ts';
import type { StoreContext } from './store-context.ts';

/** What the cache lends the workstation's other services: keys under its index key, and a small state beside them. */
export type ServiceKeys = Pick<CacheStore, 'deriveServiceKey' | 'readServiceState' | 'updateServiceState'>;

/** Service states share the meta table with the key records, under a prefix of their own. */
function serviceStateName(purpose: string): string {
  if (!/^[a-z0-9][a-z0-9/._-]{2,99}$/.test(purpose)) throw new CacheError('invalid-input', `"${purpose}" is not a service state name`);
  return `service_state/${purpose}`;
}

export function createServiceKeys(ctx: StoreContext): ServiceKeys {
  const { db } = ctx;
  return {
    deriveServiceKey(purpose) {
      ctx.ensureOpen();
      return deriveServiceKey(ctx.keys.ring.indexKey, purpose);
    },

    readServiceState(purpose) {
      ctx.ensureOpen();
      const row = db.prepare('SELECT value FROM meta WHERE name = ?').get(serviceStateName(purpose));
      return row?.value instanceof Uint8Array ? Buffer.from(row.value) : undefined;
    },

    updateServiceState(purpose, next) {
      ctx.ensureOpen();
      const name = serviceStateName(purpose);
      ctx.transaction('updating a service state', () => {
        const row = db.prepare('SELECT value FROM meta WHERE name = ?').get(name);
        const value = next(row?.value instanceof Uint8Array ? Buffer.from(row.value) : undefined);
        if (value === undefined) return;
        db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value').run(name, value);
      });
    },
  };
}
