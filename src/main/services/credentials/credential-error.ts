/**
 * The one error the credential vault and reference resolution throw. Messages name the vault
 * file, the credential and the source, never a secret.
 */
export type CredentialErrorCode =
  /** The vault was sealed under another key (the cache was re-created, or another workstation's file). */
  | 'wrong-key'
  /** A sealed secret or the file's key check failed authentication: the file was changed. */
  | 'tampered'
  /** The file is not a credential vault (bad JSON, unknown format or version). */
  | 'corrupt'
  /** A credential name or secret the vault does not accept. */
  | 'invalid-input'
  /** The configuration refers to a credential the vault does not hold. */
  | 'missing-ref'
  /** The vault file could not be read or written. */
  | 'io';

export class CredentialError extends Error {
  readonly code: CredentialErrorCode;

  constructor(code: CredentialErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CredentialError';
    this.code = code;
  }
}
