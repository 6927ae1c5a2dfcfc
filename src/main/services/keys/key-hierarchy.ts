import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { encodeAad, forgetKeyObject, KEY_BYTES, keyObjectOf, open, seal } from './aead.ts';

/**
 * Keys of the cache, top down:
 *   master key (random; sealed by a KeyProtector: OS key store or passphrase)
 *     ├─ wraps the index key (random) → HKDF → blind-index key, blob-name key
 *     └─ wraps one data key per patient (random) → encrypts that patient's records and blobs
 * The index key sits under the master key instead of being derived from it so that rotating
 * the master key re-wraps keys only: blind indexes and record AAD stay valid.
 */
export function newKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Short random id naming a key in AAD and rows; lets a later format tell keys apart. */
export function newKeyId(): string {
  return randomBytes(8).toString('hex');
}

export type WrapPurpose = { kind: 'index' } | { kind: 'patient'; patientRef: string; keyId: string };

function wrapAad(masterKeyId: string, purpose: WrapPurpose): Buffer {
  return purpose.kind === 'index'
    ? encodeAad('huizhen-cache/wrap', [masterKeyId, 'index'])
    : encodeAad('huizhen-cache/wrap', [masterKeyId, 'patient', purpose.patientRef, purpose.keyId]);
}

/** AES-GCM key wrap bound to the master key id and to what the key is for. */
export function wrapKey(masterKey: Uint8Array, masterKeyId: string, purpose: WrapPurpose, key: Uint8Array): Buffer {
  return seal(masterKey, key, wrapAad(masterKeyId, purpose));
}

export function unwrapKey(masterKey: Uint8Array, masterKeyId: string, purpose: WrapPurpose, wrapped: Uint8Array): Buffer {
  const what = purpose.kind === 'index' ? 'The index key' : 'A patient data key';
  return open(masterKey, wrapped, wrapAad(masterKeyId, purpose), what);
}

export interface IndexKeys {
  /** HMAC key of the blind index: patient keys, identifiers, record ids. */
  blind: Buffer;
  /** HMAC key naming blob files by their content, so a file name reveals nothing. */
  blobName: Buffer;
}

/** A key for one purpose, derived (HKDF-SHA256) from the index key. */
export function deriveFromIndexKey(indexKey: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', indexKey, Buffer.alloc(0), info, KEY_BYTES));
}

export function deriveIndexKeys(indexKey: Uint8Array): IndexKeys {
  return {
    blind: deriveFromIndexKey(indexKey, 'huizhen-cache/blind-index/v1'),
    blobName: deriveFromIndexKey(indexKey, 'huizhen-cache/blob-name/v1'),
  };
}

/** A blind index entry: HMAC-SHA256 over a domain-separated value, hex. */
export function blindRef(key: Uint8Array, domain: string, ...values: string[]): string {
  // The key object is built once per key: from raw bytes, each call imported the key anew (≈5 % of a cached frame's CPU).
  return createHmac('sha256', keyObjectOf(key)).update(encodeAad(domain, values)).digest('hex');
}

/** Overwrites key material we no longer need; best effort, since V8 may have copied it. */
export function wipe(...keys: (Uint8Array | undefined)[]): void {
  for (const key of keys) {
    if (!key) continue;
    forgetKeyObject(key);
    key.fill(0);
  }
}
