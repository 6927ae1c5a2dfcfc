import type { SourceErrorCode, SourceErrorInfo } from '../shared/domain/source.ts';

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

  constructor(
    code: SourceErrorCode,
    sourceId: string,
    message: string,
    details: { request?: string; status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'SourceError';
    this.code = code;
    this.sourceId = sourceId;
    this.request = details.request;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** Errors worth retrying for an idempotent read. */
  get transient(): boolean {
    return ['timeout', 'unreachable', 'rate-limited', 'server-error'].includes(this.code);
  }

  toInfo(): SourceErrorInfo {
    return { code: this.code, message: this.message };
  }
}

export function isSourceError(error: unknown): error is SourceError {
  return error instanceof SourceError;
}
