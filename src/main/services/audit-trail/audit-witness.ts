import { createHeadWitness, type HeadWitness } from '../audit/index.ts';
import type { CacheStore } from '../cache/index.ts';

const HEAD_STATE = 'huizhen-audit/head/v1';

/**
 * The audit log's head kept in the cache's database beside its key material: restoring an older
 * audit folder (or deleting it) then contradicts a record the folder cannot carry with it. MAC'd
 * with the audit mac key, which comes from the same key store.
 */
export function auditWitnessOf(cache: CacheStore, macKey: Buffer): HeadWitness {
  return createHeadWitness(
    { read: () => cache.readServiceState(HEAD_STATE), update: (next) => cache.updateServiceState(HEAD_STATE, next) },
    macKey,
    "the cache's key store",
  );
}

/** The head as it stands now, for a reader that closes the cache before checking (the CLI's verify); never written. */
export function auditWitnessSnapshotOf(cache: CacheStore, macKey: Buffer): HeadWitness {
  const bytes = cache.readServiceState(HEAD_STATE);
  return createHeadWitness(
    {
      read: () => bytes,
      update: () => {
        throw new Error('a snapshot of the audit head is read-only');
      },
    },
    macKey,
    "the cache's key store",
  );
}
