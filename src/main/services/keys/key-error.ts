/**
 * The one error the key module throws. The codes are a subset of the cache's (the cache passes
 * them on unchanged); no code ever carries key material or decrypted bytes.
 */
export type KeyErrorCode =
  /** The master key could not be opened: wrong passphrase, another OS user or keyring. */
  | 'wrong-key'
  /** Authenticated decryption failed: bytes changed, moved to another context, or another key. */
  | 'tampered'
  /** Bytes that cannot even be parsed: truncated, an unknown format, incomplete key records. */
  | 'corrupt'
  /** The key was protected by another backend than the one offered now (e.g. keyring → passphrase). */
  | 'key-store-changed'
  /** The key-protection backend is missing (no keyring, app not ready). */
  | 'key-store-unavailable'
  /** The only backend obfuscates (Linux basic_text) and no administrator opted in. */
  | 'insecure-backend'
  /** A key of the wrong length, a malformed purpose. */
  | 'invalid-input';

export class KeyError extends Error {
  readonly code: KeyErrorCode;

  constructor(code: KeyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyError';
    this.code = code;
  }
}
