import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CacheError } from './cache-error.ts';

/**
 * AES-256-GCM with a fresh random 96-bit nonce per message. Sealed layout:
 * `[format version: 1 byte][nonce: 12][ciphertext][tag: 16]`. The version byte is also part of
 * the additional data, so a future format cannot be confused with this one.
 */
export const SEAL_FORMAT_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;
const OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;

/**
 * Encodes the context a ciphertext belongs to (patient, source, record, key id…) without
 * ambiguity: each field is length-prefixed, so ("ab","c") and ("a","bc") differ.
 */
export function encodeAad(label: string, fields: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  for (const field of [label, ...fields]) {
    const bytes = Buffer.from(field, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
}

function aadWithVersion(version: number, aad: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([version]), aad]);
}

export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  if (key.length !== KEY_BYTES) throw new CacheError('invalid-input', 'An AES-256 key must be 32 bytes.');
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadWithVersion(SEAL_FORMAT_VERSION, aad));
  const body = cipher.update(plaintext);
  const final = cipher.final();
  return Buffer.concat([Buffer.from([SEAL_FORMAT_VERSION]), nonce, body, final, cipher.getAuthTag()]);
}

/**
 * Opens what `seal` produced under the same key and additional data. Any mismatch — another
 * key, another row's context, a flipped bit — is `tampered`; a blob too short or of an unknown
 * format is `corrupt`. Nothing decrypted is returned or attached to the error on failure.
 */
export function open(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array, what: string): Buffer {
  if (sealed.length < OVERHEAD) throw new CacheError('corrupt', `${what} is truncated (${sealed.length} bytes).`);
  const version = sealed[0]!;
  if (version !== SEAL_FORMAT_VERSION) throw new CacheError('corrupt', `${what} has an unknown format (version ${version}).`);
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const body = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aadWithVersion(version, aad));
    decipher.setAuthTag(tag);
    const head = decipher.update(body);
    return Buffer.concat([head, decipher.final()]);
  } catch (error) {
    throw new CacheError('tampered', `${what} failed authentication (changed, moved to another row, or another key).`, {
      cause: error instanceof Error ? new Error(error.message) : undefined,
    });
  }
}
