// Files that survive a crash or a power cut: atomic writes, directory fsync, the folders beside the cache.
export { type BlobFs, nodeBlobFs, syncDirectory, TEMP_PREFIX, writeFileAtomically } from './atomic-files.ts';
export { besideCache } from './beside-cache.ts';
