/**
 * Maps what went wrong talking to a DICOMweb server to a SourceError. Messages name the source
 * and the request as "QIDO-RS GET studies" (the path relative to the DICOMweb root, without the
 * query string, which carries PatientID and names) and never hold credentials.
 */
import type { SourceErrorCode } from '../../shared/domain/source.ts';
import { SourceError } from '../source-error.ts';

export interface DicomwebRequestContext {
  sourceId: string;
  sourceName: string;
  /** e.g. "QIDO-RS GET studies/1.2.3/series" */
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

export function httpError(ctx: DicomwebRequestContext, status: number, statusText: string): SourceError {
  return new SourceError(codeForStatus(status), ctx.sourceId, `${ctx.sourceName}: ${ctx.request} answered HTTP ${status}${statusText ? ` ${statusText}` : ''}`, {
    request: ctx.request,
    status,
  });
}

export function protocolError(ctx: DicomwebRequestContext, problem: string): SourceError {
  return new SourceError('protocol', ctx.sourceId, `${ctx.sourceName}: ${ctx.request}: ${problem}`, { request: ctx.request });
}

export function timeoutError(ctx: DicomwebRequestContext, timeoutMs: number | undefined): SourceError {
  const text = timeoutMs === undefined ? 'exceeded its deadline' : `got no answer within ${timeoutMs} ms`;
  return new SourceError('timeout', ctx.sourceId, `${ctx.sourceName}: ${ctx.request} ${text}`, { request: ctx.request });
}

export function abortedError(ctx: DicomwebRequestContext): SourceError {
  return new SourceError('aborted', ctx.sourceId, `${ctx.sourceName}: ${ctx.request} was cancelled`, { request: ctx.request });
}

export function unreachableError(ctx: DicomwebRequestContext, what = 'no HTTP answer (connection refused, reset or closed)'): SourceError {
  return new SourceError('unreachable', ctx.sourceId, `${ctx.sourceName}: ${ctx.request} failed: ${what}`, {
    request: ctx.request,
  });
}
