export { KeyError } from './key-error.ts';
export { encodeAad, KEY_BYTES, open, seal } from './aead.ts';
export { blindRef, newKey, newKeyId, unwrapKey, wipe, wrapKey } from './key-hierarchy.ts';
export { openKeyRing, rotateMasterKey, type KeyRing, type RewrapDependents } from './master-key.ts';
export { deriveServiceKey, type ServiceKeySource } from './service-key.ts';
