/**
 * Request failures every HTTP-based adapter (FHIR, DICOMweb, SOAP) maps the same way into a
 * SourceError. Messages name the source and the request (method and path, never the query
 * string, which may carry a national ID) and never contain credentials.
 */
import type { SourceErrorCode } from '../../shared/domain/source.ts';
import { SourceError } from '../source-error.ts';

export interface RequestContext {
  sourceId: string;
  sourceName: string;
  /** e.g. "GET Patient/123/$everything" */
  request: string;
}

export function codeForStatus(status: number): SourceErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 410) return 'gone';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server-error';
  if (status >= 400) return 'bad-request';
  return 'protocol';
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A non-2xx answer; `detail` is what the server said (e.g. OperationOutcome diagnostics). */
export function statusError(
  ctx: RequestContext,
  status: number,
  statusText: string,
  detail?: string,
  retryAfter?: string | null,
): SourceError {
  const code = codeForStatus(status);
  const retryAfterMs = code === 'rate-limited' || status === 503 ? parseRetryAfter(retryAfter ?? null) : undefined;
  const message = `${ctx.sourceName}: ${ctx.request} answered HTTP ${status}${statusText ? ` ${statusText}` : ''}${detail ? `: ${detail}` : ''}`;
  return new SourceError(code, ctx.sourceId, message, {
    request: ctx.request,
    status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

export function protocolError(ctx: RequestContext, problem: string, cause?: unknown): SourceError {
  return new SourceError('protocol', ctx.sourceId, `${ctx.sourceName}: ${ctx.request}: ${problem}`, { request: ctx.request, cause });
}

export function timeoutError(ctx: RequestContext, timeoutMs: number | undefined): SourceError {
  const text = timeoutMs === undefined ? 'exceeded its deadline' : `got no answer within ${timeoutMs} ms`;
  return new SourceError('timeout', ctx.sourceId, `${ctx.sourceName}: ${ctx.request} ${text}`, {
    request: ctx.request,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

export function abortedError(ctx: RequestContext): SourceError {
  return new SourceError('aborted', ctx.sourceId, `${ctx.sourceName}: ${ctx.request} was cancelled`, { request: ctx.request });
}

export function unreachableError(ctx: RequestContext, what = 'no HTTP answer (connection refused, reset or closed)'): SourceError {
  return new SourceError('unreachable', ctx.sourceId, `${ctx.sourceName}: ${ctx.request} failed: ${what}`, { request: ctx.request });
}

/** Node's fetch reports socket failures as TypeError("fetch failed") with the errno deep in `cause`. */
function networkCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
    queue.push((e as { cause?: unknown }).cause);
    if (e instanceof AggregateError) queue.push(...e.errors);
  }
  return undefined;
}

const NETWORK_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed by the server',
};

/**
 * Raw causes are not kept: ky's errors hold the Request (with its Authorization header) and
 * messages hold the full URL (with identifiers in the query). Keep only name and errno.
 */
function safeCause(error: unknown): Error {
  const name = error instanceof Error ? error.name : typeof error;
  const code = networkCode(error);
  const safe = new Error(code ? `${name} (${code})` : name);
  safe.name = name;
  return safe;
}

function isTimeoutReason(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}

/**
 * `callerSignal` is the aggregator's; `deadline` is ours (config.resilience.timeoutMs). A caller
 * abort whose reason is a TimeoutError (AbortSignal.timeout) is a deadline, not a cancellation.
 */
export function transportError(
  ctx: RequestContext,
  error: unknown,
  callerSignal: AbortSignal,
  deadline: AbortSignal,
  timeoutMs: number,
): SourceError {
  if (error instanceof SourceError) return error;
  if (callerSignal.aborted) {
    return isTimeoutReason(callerSignal.reason)
      ? new SourceError('timeout', ctx.sourceId, `${ctx.sourceName}: ${ctx.request} exceeded its deadline`, {
          request: ctx.request,
          cause: safeCause(error),
        })
      : new SourceError('aborted', ctx.sourceId, `${ctx.sourceName}: ${ctx.request} was cancelled`, {
          request: ctx.request,
          cause: safeCause(error),
        });
  }
  if (deadline.aborted || (error instanceof Error && error.name === 'TimeoutError')) {
    return new SourceError('timeout', ctx.sourceId, `${ctx.sourceName}: ${ctx.request} got no answer within ${timeoutMs} ms`, {
      request: ctx.request,
      timeoutMs,
      cause: safeCause(error),
    });
  }
  const code = networkCode(error);
  const what = (code && NETWORK_TEXT[code]) ?? (code ? `network error ${code}` : 'network error');
  return new SourceError('unreachable', ctx.sourceId, `${ctx.sourceName}: ${ctx.request} failed: ${what}`, {
    request: ctx.request,
    cause: safeCause(error),
  });
}
