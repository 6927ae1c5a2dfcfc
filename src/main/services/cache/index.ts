export { nodeBlobFs, syncDirectory, writeFileAtomically } from './blob-files.ts';
export { CacheError } from './cache-error.ts';
export { besideCache } from './cache-paths.ts';
export { type CacheStore, openCacheStore, type ViewMember } from './cache-store.ts';
export { createPassphraseKeyProtector } from './passphrase-key-protector.ts';
