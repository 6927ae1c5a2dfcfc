import type { SourceErrorCode, SourceErrorInfo } from '../shared/domain/source.ts';
import { safeErrorInfo } from './safe-error-info.ts';

/**
 * The only error adapters throw. It names the source and the request so a failure on screen or
 * in a log says which system and which call, without leaking credentials.
 */
export class SourceError extends Error {
  readonly code: SourceErrorCode;
  readonly sourceId: string;
  readonly request: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  /** With 'timeout': how long the caller waited, when it knows. */
  readonly timeoutMs: number | undefined;

  constructor(
    code: SourceErrorCode,
    sourceId: string,
    message: string,
    details: { request?: string; status?: number; retryAfterMs?: number; timeoutMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'SourceError';
    this.code = code;
    this.sourceId = sourceId;
    this.request = details.request;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.timeoutMs = details.timeoutMs;
  }

  /** Errors worth retrying for an idempotent read. */
  get transient(): boolean {
    return ['timeout', 'unreachable', 'rate-limited', 'server-error'].includes(this.code);
  }

  /**
   * The failure as it leaves the adapter (status board, API, console, CLI reports): codes and safe
   * parameters only. The message stays here: it may quote what the source echoed back about a patient.
   */
  toInfo(): SourceErrorInfo {
    return safeErrorInfo({ code: this.code, request: this.request, status: this.status, timeoutMs: this.timeoutMs, cause: this.cause });
  }
}

export function isSourceError(error: unknown): error is SourceError {
  return error instanceof SourceError;
}
