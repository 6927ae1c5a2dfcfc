import type { z } from 'zod';
import { encodeAad, open, seal } from '../keys/index.ts';
import type { CacheStore } from '../cache/index.ts';

export type SealedStateStore = Pick<CacheStore, 'deriveServiceKey' | 'readServiceState' | 'updateServiceState'>;

export interface SealedState<T> {
  read(): T;
  /** Replaces the value with what `next` makes of the current one, in one transaction. */
  update(next: (current: T) => T): T;
}

/**
 * A small JSON value kept in the cache's database, encrypted (AES-256-GCM) under a key derived
 * for this purpose only: the census and who-looked-when name patients, so they get the same
 * protection as the records. Unreadable or tampered bytes read as `empty` (and are reported).
 */
export function sealedState<S extends z.ZodType>(
  store: SealedStateStore,
  purpose: string,
  schema: S,
  empty: () => z.output<S>,
  onUnreadable: (detail: string) => void = () => {},
): SealedState<z.output<S>> {
  const key = store.deriveServiceKey(purpose);
  const aad = encodeAad('huizhen-sealed-state', [purpose]);
  const decode = (bytes: Buffer | undefined): z.output<S> => {
    if (!bytes) return empty();
    try {
      const parsed = schema.safeParse(JSON.parse(open(key, bytes, aad, purpose).toString('utf8')));
      if (parsed.success) return parsed.data;
      onUnreadable(`${purpose}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    } catch (error) {
      onUnreadable(`${purpose}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return empty();
  };
  return {
    read: () => decode(store.readServiceState(purpose)),
    update(next) {
      let result = empty();
      store.updateServiceState(purpose, (current) => {
        result = next(decode(current));
        return seal(key, Buffer.from(JSON.stringify(result), 'utf8'), aad);
      });
      return result;
    },
  };
}
