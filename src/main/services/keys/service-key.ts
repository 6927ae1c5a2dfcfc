import { deriveFromIndexKey } from './key-hierarchy.ts';
import { KeyError } from './key-error.ts';

/**
 * Keys for the workstation's other services (the audit log, the credential vault), derived from
 * the cache's index key: stable across master-key rotation, never stored, different per purpose.
 */
export interface ServiceKeySource {
  /** A fresh 32-byte key for `purpose` (e.g. "huizhen-audit/seal/v1"); the caller wipes it. */
  deriveServiceKey(purpose: string): Buffer;
}

const PURPOSE = /^[a-z0-9][a-z0-9/._-]{2,99}$/;

export function deriveServiceKey(indexKey: Uint8Array, purpose: string): Buffer {
  if (!PURPOSE.test(purpose)) throw new KeyError('invalid-input', `"${purpose}" is not a key purpose`);
  return deriveFromIndexKey(indexKey, `huizhen-service/${purpose}`);
}
