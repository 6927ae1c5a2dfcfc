/**
 * Protects small secrets (the cache master key, hospital-system credentials) with something
 * outside the app's own files. One interface, one implementation per runtime: Electron's
 * safeStorage (OS keychain / DPAPI / libsecret) in the desktop shell, a passphrase-derived key in
 * the browser host and tests. Services depend on this interface only.
 */
export interface KeyProtector {
  /**
   * Which mechanism protects the bytes, e.g. "safeStorage:gnome_libsecret" or "passphrase:scrypt".
   * Recorded next to what it protected so a later start can tell "the key store changed" apart
   * from "the data is damaged".
   */
  readonly backendName: string;
  /** Seals `plain`; the result is opaque and only `unprotect` on the same backend reverses it. */
  protect(plain: Uint8Array): Promise<Uint8Array>;
  /** Opens what `protect` sealed; rejects with KeyProtectionError if it cannot. */
  unprotect(sealed: Uint8Array): Promise<Uint8Array>;
}

export type KeyProtectionErrorCode =
  /** No usable OS key store (e.g. Linux without a keyring, or called before app ready). */
  | 'unavailable'
  /** Only an obfuscating backend exists (Linux basic_text) and the user did not opt in. */
  | 'insecure-backend'
  /** The sealed bytes could not be opened: another user, machine, keyring, or damaged data. */
  | 'unprotect-failed';

/** A typed failure the shell maps to a clear startup dialog instead of a blank window. */
export class KeyProtectionError extends Error {
  readonly code: KeyProtectionErrorCode;
  readonly backendName: string;

  constructor(code: KeyProtectionErrorCode, backendName: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyProtectionError';
    this.code = code;
    this.backendName = backendName;
  }
}
