export { CacheError } from './cache-error.ts';
export { type CacheStore, openCacheStore, type RecordWrite, type ViewMember } from './cache-store.ts';
export { createPassphraseKeyProtector } from './passphrase-key-protector.ts';
export { DAY_MS, dayOf, openSealedDays, type DayStateStore } from './sealed-days.ts';
