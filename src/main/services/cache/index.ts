export { openCacheStore, normalizeIdentifier } from './cache-store.ts';
export type { CacheStore, CacheStoreOptions, CachedPatient, CachedRecords, OpenReport, PutRecordsOptions, RecordFailure, SyncState, ViewMember } from './cache-store.ts';
export { CacheError, type CacheErrorCode } from './cache-error.ts';
export { createPassphraseKeyProtector, PASSPHRASE_BACKEND, OWASP_LOG2_COST, type PassphraseKeyProtectorOptions } from './passphrase-key-protector.ts';
export { RetentionPolicySchema, type RetentionPolicy } from './retention.ts';
export type { QuarantineEntry } from './quarantine.ts';
export type { BlobFs } from './blob-files.ts';
