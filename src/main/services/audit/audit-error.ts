/**
 * What the audit service throws. Codes let callers choose a reaction (a CLI exit code, a dialog)
 * without parsing messages; messages say which file, line or seq is concerned.
 */
export type AuditErrorCode =
  /** Keys of the wrong length, or keys under which nothing in the log authenticates. */
  | 'wrong-keys'
  /** An event that does not match AuditEventInputSchema. */
  | 'invalid-event'
  /** The log was tampered with in a way appending would paper over (truncated tail, bad anchor). */
  | 'tampered'
  /** A new log was asked for where a log still is (it must be moved aside first). */
  | 'not-empty'
  /** A file of the log could not be read or written. */
  | 'io';

export class AuditError extends Error {
  readonly code: AuditErrorCode;
  constructor(code: AuditErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuditError';
    this.code = code;
  }
}
